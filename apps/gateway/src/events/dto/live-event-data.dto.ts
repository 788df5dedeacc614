import { ApiProperty } from '@nestjs/swagger';
import {
  BULK_JOB_PROGRESS_STATUSES,
  DELIVERY_STATUSES,
  INBOUND_KINDS,
  SESSION_STATUSES,
  type BulkJobProgressStatus,
  type DeliveryStatus,
  type InboundKind,
  type InboundMessageEvent,
  type JobProgressEvent,
  type MessageStatusChangedEvent,
  type SessionQrEvent,
  type SessionStatus,
  type SessionStatusChangedEvent,
} from '@app/contracts';

/*
 * The `data` of each live event, documented from the contract types they implement (so the
 * document cannot drift from what producers send). Webhooks carry the same bodies.
 */

export class SessionStatusEventDataDto implements SessionStatusChangedEvent {
  @ApiProperty({ format: 'uuid', description: 'Unique per transition' })
  eventId!: string;

  @ApiProperty({ example: 'support-bot' })
  sessionId!: string;

  @ApiProperty({ description: 'The session owner' })
  userId!: string;

  @ApiProperty({ enum: SESSION_STATUSES })
  status!: SessionStatus;

  @ApiProperty({ enum: SESSION_STATUSES, nullable: true, type: String })
  previousStatus!: SessionStatus | null;

  @ApiProperty({ type: String, nullable: true, description: 'The worker that made the transition' })
  workerId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '6281234567890' })
  phone!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'waiting for the QR to be scanned' })
  reason!: string | null;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty()
  traceId!: string;
}

export class SessionQrEventDataDto implements SessionQrEvent {
  @ApiProperty({ example: 'support-bot' })
  sessionId!: string;

  @ApiProperty({ enum: ['qr', 'pairing_code'], description: '`qr`: render `qr` as a QR code; `pairing_code`: show `pairingCode`' })
  kind!: 'qr' | 'pairing_code';

  @ApiProperty({ type: String, nullable: true, description: 'The raw QR string (changes every 20-60 s until scanned)' })
  qr!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'ABCD1234' })
  pairingCode!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The number the pairing code was requested for' })
  phone!: string | null;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export class InboundMessageEventDataDto implements InboundMessageEvent {
  @ApiProperty({ example: 'support-bot' })
  sessionId!: string;

  @ApiProperty({ example: '3EB0C431C26A1916E1E5' })
  waMessageId!: string;

  @ApiProperty({ description: 'The chat: the sender for direct messages, the group for group messages', example: '6289876543210@s.whatsapp.net' })
  chatJid!: string;

  @ApiProperty()
  isGroup!: boolean;

  @ApiProperty({ example: '6289876543210@s.whatsapp.net' })
  senderJid!: string;

  @ApiProperty({ type: String, nullable: true, example: '6289876543210' })
  senderPhone!: string | null;

  @ApiProperty({ type: String, nullable: true })
  pushName!: string | null;

  @ApiProperty({ enum: INBOUND_KINDS })
  kind!: InboundKind;

  @ApiProperty({ type: String, nullable: true, description: 'Text, or the caption of media' })
  text!: string | null;

  @ApiProperty({ type: String, nullable: true })
  quotedMessageId!: string | null;

  @ApiProperty({ type: [String] })
  mentions!: string[];

  @ApiProperty({ description: "The session's own account is mentioned" })
  mentionsMe!: boolean;

  @ApiProperty({ description: "The session's own number" })
  ownPhone!: string;

  @ApiProperty({ format: 'date-time' })
  sentAt!: string;

  @ApiProperty({ description: 'Received while the session was offline (delivered on reconnect)' })
  offline!: boolean;

  @ApiProperty()
  traceId!: string;
}

export class MessageStatusEventDataDto implements MessageStatusChangedEvent {
  @ApiProperty({ example: 'support-bot' })
  sessionId!: string;

  @ApiProperty({ description: 'The message id the send route answered (outboundId)' })
  outboundId!: string;

  @ApiProperty()
  waMessageId!: string;

  @ApiProperty({ example: '6289876543210@s.whatsapp.net' })
  to!: string;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status!: DeliveryStatus;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export class JobProgressEventDataDto implements JobProgressEvent {
  @ApiProperty()
  jobId!: string;

  @ApiProperty({ example: 'support-bot' })
  sessionId!: string;

  @ApiProperty({ enum: BULK_JOB_PROGRESS_STATUSES })
  status!: BulkJobProgressStatus;

  @ApiProperty()
  total!: number;

  @ApiProperty({ description: 'Items done: the index of the next item' })
  currentIndex!: number;

  @ApiProperty()
  successCount!: number;

  @ApiProperty()
  errorCount!: number;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}
