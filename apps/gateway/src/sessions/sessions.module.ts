import { Module } from '@nestjs/common';
import { QrImageRenderer } from './qr-image.renderer';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  controllers: [SessionsController],
  providers: [SessionsService, QrImageRenderer],
  exports: [SessionsService],
})
export class SessionsModule {}
