import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, IsUrl, Length } from 'class-validator';
import type { ChatbotBindingRecord } from '@app/db';

const HTTP_URL = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

/** `PUT /sessions/{id}/agent`: an absent field keeps its value, null clears it. */
export class UpdateAgentDto {
  @ApiPropertyOptional({
    example: 'https://ai.example.com/agents/support-bot/execute',
    nullable: true,
    type: String,
    description: 'The agent endpoint (seed 003 `endpoint_url_run`); null = the default `${AI_BACKEND_URL}/agents/{id}/execute`',
  })
  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'endpointUrl must be an http(s) URL' })
  @Length(8, 2048)
  endpointUrl?: string | null;

  @ApiPropertyOptional({
    example: 'sk-live-7c1d2e3f4a5b6c7d',
    nullable: true,
    type: String,
    description:
      'The session api key (seed 003 `api_key`): accepted as Bearer on /agents/{id}/* routes, and sent to the AI backend as Bearer when the shared `api_keys` table ' +
      "has no active key for the session's `userId` (seed 003 order: that key first). Stored encrypted, never shown again; null removes it.",
  })
  @IsOptional()
  @IsString()
  @Length(8, 512)
  apiKey?: string | null;

  @ApiPropertyOptional({ example: true, description: 'Whether received messages are answered by the agent (runs through POST /agents/{id}/run always work)' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class AgentSettingsDto {
  @ApiProperty({ example: 'support-bot' })
  sessionId!: string;

  @ApiProperty({ example: 'https://ai.example.com/agents/support-bot/execute', nullable: true, type: String })
  endpointUrl!: string | null;

  @ApiProperty({
    example: 'http://ai-backend:5000/agents/support-bot/execute',
    nullable: true,
    type: String,
    description: 'What is called for numbers without a chatbot binding; null when nothing is configured',
  })
  effectiveEndpoint!: string | null;

  @ApiProperty({ example: true, description: 'Whether the session has its own api key (the key itself is never shown)' })
  hasApiKey!: boolean;

  @ApiProperty({ example: true })
  enabled!: boolean;
}

/** `PUT /sessions/{id}/chatbots/{senderNumber}` (seed 002 chatbots: status and endpoint per number). */
export class UpsertChatbotDto {
  @ApiPropertyOptional({
    example: 'https://ai.example.com/agents/vip-bot/execute',
    nullable: true,
    type: String,
    description: "Endpoint for this number; null = the session's",
  })
  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'endpointUrl must be an http(s) URL' })
  @Length(8, 2048)
  endpointUrl?: string | null;

  @ApiPropertyOptional({ example: true, default: true, description: 'false: messages from this number get no automatic answer' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class ChatbotBindingDto {
  @ApiProperty({ example: '5b1e7c9a-0d2f-4e6a-8b3c-7d9e1f2a4b6c' })
  id!: string;

  @ApiProperty({ example: 'support-bot' })
  sessionId!: string;

  @ApiProperty({ example: '6281234567890', description: "The contact's number, digits with country code" })
  senderNumber!: string;

  @ApiProperty({ example: null, nullable: true, type: String })
  endpointUrl!: string | null;

  @ApiProperty({ example: true })
  enabled!: boolean;

  @ApiProperty({ example: '2026-11-21T08:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ example: '2026-11-21T08:00:00.000Z' })
  updatedAt!: string;

  static from(record: ChatbotBindingRecord): ChatbotBindingDto {
    return { ...record, createdAt: record.createdAt.toISOString(), updatedAt: record.updatedAt.toISOString() };
  }
}

export class ChatbotDeletedDto {
  @ApiProperty({ example: true, description: 'false when there was no binding for the number' })
  deleted!: boolean;
}
