import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsDate, IsIn, IsOptional, IsString, IsUrl, Length, ValidateIf } from 'class-validator';
import { Type } from 'class-transformer';
import { WEBHOOK_EVENT_NAMES, type WebhookEvent } from '@app/contracts';
import type { WebhookDeliveryRecord } from '@app/db';
import { PageLimit } from '../http/pagination.decorators';

/** `PUT /sessions/{id}/webhook` (seed 000 webhook update). */
export class UpdateWebhookDto {
  @ApiProperty({
    example: 'https://shop.example.com/hooks/whatsapp',
    nullable: true,
    type: String,
    description: 'Where events are POSTed; null turns the webhook off',
  })
  @ValidateIf((body: UpdateWebhookDto) => body.url !== null)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http(s) URL' })
  @Length(8, 2048)
  url!: string | null;

  @ApiPropertyOptional({
    enum: WEBHOOK_EVENT_NAMES,
    isArray: true,
    example: ['message.received', 'message.status'],
    description: 'Events to send; empty or absent = every event',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(WEBHOOK_EVENT_NAMES.length)
  @IsIn(WEBHOOK_EVENT_NAMES, { each: true })
  events?: WebhookEvent[];

  @ApiPropertyOptional({
    example: 'whsec_3f9a1c7e5b2d4f6a8c0e',
    nullable: true,
    type: String,
    description:
      'Signing secret: each request then carries `x-wagw-signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. Absent keeps the current one, null removes it. Stored encrypted, never shown again.',
  })
  @IsOptional()
  @IsString()
  @Length(16, 256)
  secret?: string | null;
}

export class WebhookSettingsDto {
  @ApiProperty({ example: 'support-bot' })
  sessionId!: string;

  @ApiProperty({ example: 'https://shop.example.com/hooks/whatsapp', nullable: true, type: String })
  url!: string | null;

  @ApiProperty({ enum: WEBHOOK_EVENT_NAMES, isArray: true, example: ['message.received'], description: 'Empty = every event' })
  events!: string[];

  @ApiProperty({ example: true, description: 'Whether requests are signed (the secret is never shown)' })
  hasSecret!: boolean;
}

export class ListDeliveriesQueryDto {
  @PageLimit({ default: 50, maximum: 200 })
  limit?: number;
}

/** `POST /sessions/{id}/webhook/deliveries/replay`. */
export class ReplayDeliveriesDto {
  @ApiProperty({
    example: '2026-11-21T08:00:00.000Z',
    type: String,
    format: 'date-time',
    description: 'Events that happened at or after this time are sent again',
  })
  @Type(() => Date)
  @IsDate({ message: 'since must be an ISO 8601 date-time' })
  since!: Date;

  @ApiPropertyOptional({ example: '2026-11-21T09:00:00.000Z', type: String, format: 'date-time', description: 'Up to this time (default: now)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'until must be an ISO 8601 date-time' })
  until?: Date;
}

export class ReplayResultDto {
  @ApiProperty({ example: 42, description: 'How many deliveries were queued again' })
  replayed!: number;
}

export class WebhookDeliveryDto {
  @ApiProperty({ example: '9a7c3e1f-2b4d-4f6a-8c0e-1d3f5b7a9c2e', description: 'Also sent as x-wagw-delivery' })
  id!: string;

  @ApiProperty({ example: 'message.received:support-bot:3EB0A1B2C3D4E5F6A7B8C9', description: "The event's id (the body's `id`)" })
  eventId!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_NAMES, example: 'message.received' })
  event!: string;

  @ApiProperty({ example: 'https://shop.example.com/hooks/whatsapp' })
  url!: string;

  @ApiProperty({ enum: ['pending', 'delivered', 'failed'], example: 'delivered' })
  status!: string;

  @ApiProperty({ example: 1 })
  attempts!: number;

  @ApiProperty({
    example: '2026-11-21T08:00:10.000Z',
    nullable: true,
    type: String,
    description: 'When a waiting delivery is tried next (its endpoint is paused until then)',
  })
  nextAttemptAt!: string | null;

  @ApiProperty({ example: '2026-11-21T08:00:00.000Z', description: "When the event happened (a session's deliveries go out in this order)" })
  occurredAt!: string;

  @ApiProperty({ example: 200, nullable: true, type: Number })
  lastStatusCode!: number | null;

  @ApiProperty({ example: null, nullable: true, type: String })
  lastError!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The body that was (or is being) sent' })
  payload!: unknown;

  @ApiProperty({ example: '2026-11-21T08:00:01.000Z', nullable: true, type: String })
  deliveredAt!: string | null;

  @ApiProperty({ example: '2026-11-21T08:00:00.000Z' })
  createdAt!: string;

  static from(record: WebhookDeliveryRecord): WebhookDeliveryDto {
    return {
      id: record.id,
      eventId: record.eventId,
      event: record.event,
      url: record.url,
      status: record.status,
      attempts: record.attempts,
      nextAttemptAt: record.nextAttemptAt?.toISOString() ?? null,
      occurredAt: record.occurredAt.toISOString(),
      lastStatusCode: record.lastStatusCode,
      lastError: record.lastError,
      payload: record.payload,
      deliveredAt: record.deliveredAt?.toISOString() ?? null,
      createdAt: record.createdAt.toISOString(),
    };
  }
}
