import { Injectable, Logger } from '@nestjs/common';
import { SecretBox } from '@app/crypto';
import { AgentSettingsRepository, ChatbotBindingRepository, SharedApiKeyRepository, type AgentSettings } from '@app/db';
import { AiBackendClient } from './ai-backend.client';

/** Where and with which key a session's agent is called for one conversation partner. */
export interface AgentTarget {
  /** Chatbot binding of the number → the session's endpoint → the default backend; null when none is set. */
  endpoint: string | null;
  apiKey: string | null;
  /**
   * Why received messages of this partner get no automatic answer (agent or chatbot switched
   * off), or null when they do. Explicit runs (`POST /agents/{id}/run`) ignore the switches.
   */
  autoReplyOff: string | null;
}

/**
 * The agent binding rules, in one place for the agent-runner and the gateway: per number (seed 002
 * chatbots), per session (seed 003 `endpoint_url_run`), else `${AI_BACKEND_URL}/agents/{id}/execute`.
 * The key follows seed 003's order: the latest active `access_token` of the session's `userId` in
 * the shared `api_keys` table, else the session's own api key.
 */
@Injectable()
export class AgentTargetResolver {
  private readonly logger = new Logger(AgentTargetResolver.name);

  constructor(
    private readonly settings: AgentSettingsRepository,
    private readonly bindings: ChatbotBindingRepository,
    private readonly sharedKeys: SharedApiKeyRepository,
    private readonly box: SecretBox,
    private readonly client: AiBackendClient,
  ) {}

  /** null when the session does not exist. `partnerPhone`: digits of the contact, when known. */
  async resolve(sessionId: string, partnerPhone: string | null): Promise<AgentTarget | null> {
    const settings = await this.settings.find(sessionId);
    if (!settings) return null;
    const binding = partnerPhone ? await this.bindings.find(sessionId, partnerPhone) : null;
    const autoReplyOff = !settings.enabled
      ? 'the AI agent is switched off for this session'
      : binding && !binding.enabled
        ? `the chatbot is switched off for ${partnerPhone}`
        : null;
    return {
      endpoint: binding?.endpointUrl ?? settings.endpointUrl ?? this.client.defaultEndpoint(sessionId),
      apiKey: await this.apiKey(settings),
      autoReplyOff,
    };
  }

  private async apiKey(settings: AgentSettings): Promise<string | null> {
    const shared = await this.sharedKeys.findLatestActiveToken(settings.clientUserId);
    if (shared !== null || !settings.apiKeyCipher) return shared;
    try {
      return this.box.open(settings.apiKeyCipher);
    } catch {
      this.logger.warn(`session ${settings.sessionId}: stored api key cannot be opened (ENCRYPTION_KEY changed?); calling without a key`);
      return null;
    }
  }
}
