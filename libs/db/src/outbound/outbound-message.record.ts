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

/**
 * A message to accept into the outbox (OutboxSendRepository.accept). `epoch` fences the insert to
 * the session's current lease holder (null: no owner is asking, e.g. a producer's fallback);
 * `claim` inserts it already claimed for sending by that holder; `queueLimit` refuses it when the
 * session already has that many unsent messages (0: no limit).
 */
export interface OutboxAcceptRow extends NewOutbound {
  id: string;
  traceId: string | null;
  epoch: number | null;
  claim: boolean;
  queueLimit: number;
}

/** What became of one row of an accept batch. */
export type OutboxAcceptOutcome =
  | { outcome: 'created'; record: OutboundRecord }
  /** An earlier message with the same idempotency key, bulk-job item, schedule or id. */
  | { outcome: 'duplicate'; record: OutboundRecord }
  | { outcome: 'queue-full'; pending: number }
  /** `epoch` is no longer the session's lease (or the session is gone): nothing was written. */
  | { outcome: 'stale' };

export type ReceiptStatus = 'delivered' | 'read';

export interface ReceiptUpdate {
  sessionId: string;
  waMessageId: string;
  status: ReceiptStatus;
}

/** A message a receipt batch moved forward, with each status it newly reached, in order. */
export interface ReceiptOutcome {
  record: OutboundRecord;
  reached: ReceiptStatus[];
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
