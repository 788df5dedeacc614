import { Module } from '@nestjs/common';
import { DbModule, UserApiKeyRepository, UserRepository } from '@app/db';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';

@Module({
  imports: [DbModule.forFeature([UserApiKeyRepository, UserRepository])],
  controllers: [ApiKeysController],
  providers: [ApiKeysService],
  exports: [ApiKeysService],
})
export class ApiKeysModule {}
