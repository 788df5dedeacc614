import { Module } from '@nestjs/common';
import { SessionApiKeyVerifier } from './session-api-key.verifier';
import { SessionTokensController } from './session-tokens.controller';
import { SessionTokensService } from './session-tokens.service';

@Module({
  controllers: [SessionTokensController],
  providers: [SessionTokensService, SessionApiKeyVerifier],
  exports: [SessionTokensService, SessionApiKeyVerifier],
})
export class SessionTokensModule {}
