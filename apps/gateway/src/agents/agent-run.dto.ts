import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import { DELIVERY_STATUSES, type DeliveryStatus } from '@app/contracts';

/** Seed 003 `POST /agents/{id}/run`. */
export class AgentRunDto {
  @ApiPropertyOptional({ example: 'Hello assistant!', description: 'What to ask the agent (give `input` or `message`)' })
  @ValidateIf((body: AgentRunDto) => body.message === undefined)
  @IsString()
  @Length(1, 65_536)
  input?: string;

  @ApiPropertyOptional({ example: 'Hello assistant!', description: 'Seed 003 alternative name of `input`' })
  @ValidateIf((body: AgentRunDto) => body.input === undefined)
  @IsString()
  @Length(1, 65_536)
  message?: string;

  @ApiProperty({
    example: '6281234567890',
    description: "The conversation partner (number or JID): the agent's memory key, and where the reply is sent",
  })
  @IsString()
  @Length(3, 100)
  session_id!: string;

  @ApiPropertyOptional({ example: { max_steps: 5 }, description: 'Passed to the AI backend as is; default `{ "max_steps": 5 }`' })
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;
}

export class AgentRunResultDto {
  @ApiProperty({ example: 'Hi! How can I help?', nullable: true, type: String, description: "The agent's reply; null when it chose not to answer" })
  reply!: string | null;

  @ApiProperty({ description: 'The reply was handed to WhatsApp (false: no reply, still queued, or failed; see replyStatus)' })
  replySent!: boolean;

  @ApiProperty({ enum: DELIVERY_STATUSES, nullable: true, example: 'sent', description: 'Where the reply message stands; null without a reply' })
  replyStatus!: DeliveryStatus | null;

  @ApiProperty({
    nullable: true,
    type: String,
    example: '5b1e7c9a-0d2f-4e6a-8b3c-7d9e1f2a4b6c',
    description: "The reply's message id (GET /sessions/{id}/messages/{messageId})",
  })
  messageId!: string | null;

  @ApiProperty({ nullable: true, type: String, example: '3EB0A1B2C3D4E5F6A7B8C9' })
  waMessageId!: string | null;

  @ApiProperty({ example: '6f1c2a4e-2b7d-4d35-9a53-0c7d1e1f9b7a' })
  traceId!: string;
}
