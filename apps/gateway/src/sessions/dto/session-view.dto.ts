import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SESSION_STATUSES, type SessionStatus } from '@app/contracts';

export class QrImageDto {
  @ApiProperty({ example: 'image/png' })
  contentType!: string;

  @ApiProperty({ description: 'Base64 of the PNG image' })
  base64!: string;
}

/** Seed 003's QR answer. */
export class QrResponseDto {
  @ApiProperty({ type: QrImageDto })
  qr!: QrImageDto;

  @ApiProperty({ example: '2026-11-21T08:00:00.000Z' })
  qrUpdatedAt!: string;
}

/** `format=raw` (seed 002), or `format=png` as a data URL. */
export class QrStringDto {
  @ApiProperty({ description: 'The raw QR string, or a data:image/png;base64 URL for format=png' })
  qr!: string;

  @ApiProperty({ example: '2026-11-21T08:00:00.000Z' })
  qrUpdatedAt!: string;
}

/** What the worker holding the session knows right now. */
export class LiveStateDto {
  @ApiProperty({ description: 'Connected and able to send' })
  isReady!: boolean;

  @ApiProperty({ enum: SESSION_STATUSES })
  status!: SessionStatus;

  @ApiProperty({ example: 'host-a-worker-1' })
  workerId!: string;

  @ApiPropertyOptional({ type: QrResponseDto, nullable: true, description: 'Present while the session waits for a scan' })
  qr!: QrResponseDto | null;

  @ApiProperty({ description: 'When the current status began' })
  since!: string;
}

/** Seed 003's live state, under the names its clients read. */
export class SeedLiveStateDto {
  @ApiProperty({ description: 'Connected, and sends are accepted (the status `connected` is stored)' })
  isReady!: boolean;

  @ApiProperty({ description: 'A worker holds a WhatsApp connection (or is opening one) for the session' })
  hasClient!: boolean;

  @ApiProperty({ enum: SESSION_STATUSES, description: 'The live status (the stored one when no worker holds the session)' })
  sessionState!: SessionStatus;

  @ApiPropertyOptional({ type: QrImageDto, nullable: true, description: 'The QR to scan (PNG), while the session waits for a scan' })
  qr!: QrImageDto | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: '2026-11-21T08:00:00.000Z' })
  qrUpdatedAt!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'When the current state began' })
  stateSince!: string | null;
}

export class SessionDto {
  @ApiProperty({ example: 'support-bot' })
  id!: string;

  @ApiProperty({ example: 'support-bot', description: 'Seed 003 name of `id`' })
  agentId!: string;

  @ApiProperty({
    example: 'USER_ID',
    description: "Seed 003's `userId`: your identifier of the end user; keys the `api_keys` lookup (default: the owner's id)",
  })
  userId!: string;

  @ApiProperty({ format: 'uuid', description: 'Gateway user who owns the session' })
  ownerId!: string;

  @ApiProperty({ example: 'Support Bot' })
  name!: string;

  @ApiProperty({ example: 'Support Bot', description: 'Seed 003 name of `name`' })
  agentName!: string;

  @ApiProperty({ enum: SESSION_STATUSES })
  status!: SessionStatus;

  @ApiPropertyOptional({ type: String, example: '6281234567890', nullable: true })
  phone!: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Worker holding the session now' })
  workerId!: string | null;

  @ApiProperty({ description: 'Whether a worker keeps this session connected (false after logout, wipe, failure)' })
  autoConnect!: boolean;

  @ApiPropertyOptional({ type: String, nullable: true })
  lastError!: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  aiEndpointUrl!: string | null;

  @ApiProperty({ description: 'Whether an AI backend key is stored (the key itself is never returned)' })
  hasApiKey!: boolean;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  lastConnectedAt!: string | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  lastDisconnectedAt!: string | null;

  @ApiProperty()
  createdAt!: string;

  @ApiProperty()
  updatedAt!: string;

  @ApiPropertyOptional({ type: LiveStateDto, nullable: true, description: 'Null when no worker holds the session' })
  live!: LiveStateDto | null;

  @ApiProperty({ type: SeedLiveStateDto, description: "Seed 003's `liveState` (always present)" })
  liveState!: SeedLiveStateDto;
}

export class DeleteSessionResultDto {
  @ApiProperty({ example: 'support-bot' })
  id!: string;

  @ApiProperty({ description: 'false when there was no such session' })
  deleted!: boolean;
}
