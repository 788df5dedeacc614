import { Module } from '@nestjs/common';
import { DbModule, SessionRepository, SharedApiKeyRepository, UserRepository } from '@app/db';
import { QrImageRenderer } from './qr-image.renderer';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [DbModule.forFeature([SessionRepository, SharedApiKeyRepository, UserRepository])],
  controllers: [SessionsController],
  providers: [SessionsService, QrImageRenderer],
  exports: [SessionsService],
})
export class SessionsModule {}
