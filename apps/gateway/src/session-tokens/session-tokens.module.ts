import { Module } from '@nestjs/common';
import { DbModule, SessionRepository, SessionTokenRepository, SharedApiKeyRepository } from '@app/db';
import { SessionApiKeyVerifier } from './session-api-key.verifier';
import { SessionTokensController } from './session-tokens.controller';
import { SessionTokensService } from './session-tokens.service';

@Module({
  imports: [DbModule.forFeature([SessionRepository, SessionTokenRepository, SharedApiKeyRepository])],
  controllers: [SessionTokensController],
  providers: [SessionTokensService, SessionApiKeyVerifier],
  exports: [SessionTokensService, SessionApiKeyVerifier],
})
export class SessionTokensModule {}
