import { Injectable } from '@nestjs/common';
import { AiBackendClient } from '@app/ai-backend';
import { GatewayConfig } from '@app/config';
import { AppError } from '@app/contracts';
import { SecretBox } from '@app/crypto';
import { AgentSettingsRepository, ChatbotBindingRepository, type AgentSettings } from '@app/db';
import { normalizeRecipient } from '@app/recipients';
import { AgentSettingsDto, ChatbotBindingDto, type UpdateAgentDto, type UpsertChatbotDto } from './agent-binding.dto';

/** A session's agent binding and its per-number chatbots (seeds 000, 002, 003). */
@Injectable()
export class AgentBindingsService {
  constructor(
    private readonly settings: AgentSettingsRepository,
    private readonly chatbots: ChatbotBindingRepository,
    private readonly box: SecretBox,
    private readonly ai: AiBackendClient,
    private readonly config: GatewayConfig,
  ) {}

  async get(sessionId: string): Promise<AgentSettingsDto> {
    const settings = await this.settings.find(sessionId);
    if (!settings) throw new AppError('SESSION_NOT_FOUND', `Session ${sessionId} does not exist`);
    return this.view(settings);
  }

  async update(sessionId: string, body: UpdateAgentDto): Promise<AgentSettingsDto> {
    const apiKeyCipher = body.apiKey === undefined ? undefined : body.apiKey === null ? null : this.box.seal(body.apiKey);
    return this.view(await this.settings.update(sessionId, { endpointUrl: body.endpointUrl, apiKeyCipher, enabled: body.enabled }));
  }

  async listChatbots(sessionId: string): Promise<ChatbotBindingDto[]> {
    return (await this.chatbots.list(sessionId)).map(ChatbotBindingDto.from);
  }

  async upsertChatbot(sessionId: string, senderNumber: string, body: UpsertChatbotDto): Promise<ChatbotBindingDto> {
    return ChatbotBindingDto.from(await this.chatbots.upsert(sessionId, this.number(senderNumber), body));
  }

  async deleteChatbot(sessionId: string, senderNumber: string): Promise<boolean> {
    return this.chatbots.delete(sessionId, this.number(senderNumber));
  }

  /** Bindings are kept by plain number, as received messages report senders. */
  private number(input: string): string {
    const recipient = normalizeRecipient(input, this.config.DEFAULT_COUNTRY_CODE);
    if (!recipient.phone) throw new AppError('INVALID_PAYLOAD', 'senderNumber must be a phone number (or a …@s.whatsapp.net JID)');
    return recipient.phone;
  }

  private view(settings: AgentSettings): AgentSettingsDto {
    return {
      sessionId: settings.sessionId,
      endpointUrl: settings.endpointUrl,
      effectiveEndpoint: settings.endpointUrl ?? this.ai.defaultEndpoint(settings.sessionId),
      hasApiKey: settings.apiKeyCipher !== null,
      enabled: settings.enabled,
    };
  }
}
