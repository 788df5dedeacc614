import type { DeliveryState, DeliveryStatus, OutboundContent } from '@app/contracts';

export interface OutboundRecord {
  id: string;
  sessionId: string;
  waMessageId: string;
  toJid: string;
  kind: string;
  content: OutboundContent;
  status: DeliveryStatus;
  attempts: number;
  error: string | null;
  retryAt: Date | null;
  idempotencyKey: string | null;
  jobId: string | null;
  jobIndex: number | null;
  scheduleId: string | null;
  traceId: string | null;
  createdAt: Date;
  sentAt: Date | null;
  deliveredAt: Date | null;
  readAt: Date | null;
}

export interface NewOutbound {
  sessionId: string;
  waMessageId: string;
  toJid: string;
  content: OutboundContent;
  idempotencyKey?: string | null;
  jobId?: string | null;
  jobIndex?: number | null;
  scheduleId?: string | null;
  traceId?: string | null;
}

/** What one drainer step found (OutboundMessageRepository.advance). */
export interface OutboxStep {
  /** False once the lease epoch the step ran under is no longer the session's: nothing was claimed. */
  leaseCurrent: boolean;
  next: OutboundRecord | null;
  /** With nothing due: when the earliest waiting retry falls due, if any. */
  nextRetryAt: Date | null;
}

export type OutboundCounts = Record<DeliveryStatus, number>;

/** Where an accepted message stands, as worker commands report it. */
export const deliveryStateOf = (record: OutboundRecord): DeliveryState => ({
  outboundId: record.id,
  waMessageId: record.waMessageId,
  status: record.status,
  error: record.error,
  attempts: record.attempts,
});
