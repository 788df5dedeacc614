import { Module } from '@nestjs/common';
import { sendingConfigOf } from '@app/config';
import { AgentSettingsRepository, ChatbotBindingRepository, DbModule, SharedApiKeyRepository } from '@app/db';
import { SafeFetchModule } from '@app/safe-fetch';
import { AgentTargetResolver } from './agent-target.resolver';
import { AiBackendClient } from './ai-backend.client';

/**
 * Running a session's AI agent: AiBackendClient and AgentTargetResolver. Needs the app's config to
 * extend AiBackendConfig, plus `DbModule.forRoot()` and CryptoModule (both global).
 */
@Module({
  imports: [
    DbModule.forFeature([AgentSettingsRepository, ChatbotBindingRepository, SharedApiKeyRepository]),
    SafeFetchModule.register((config) => sendingConfigOf(config).URL_FETCH_ALLOWLIST),
  ],
  providers: [AiBackendClient, AgentTargetResolver],
  exports: [AiBackendClient, AgentTargetResolver],
})
export class AiBackendModule {}
