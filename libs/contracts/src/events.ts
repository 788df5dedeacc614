import type { DeliveryStatus } from './delivery';
import type { SessionStatus } from './session-status';

/** Published on QUEUES.sessionEvents as JOBS.sessionStatusChanged for every status transition. */
export interface SessionStatusChangedEvent {
  /** Unique per transition (a UUID): webhook deliveries are made once per event id. */
  eventId: string;
  sessionId: string;
  userId: string;
  status: SessionStatus;
  previousStatus: SessionStatus | null;
  workerId: string | null;
  phone: string | null;
  reason: string | null;
  at: string;
  traceId: string;
}

/** Scheduler maintenance job: remove files in TEMP_DIR older than the given age. */
export interface CleanupTempFilesJob {
  maxAgeMs: number;
}

/** Scheduler job: run a bulk job from where it stands (a re-run resumes, never resends). */
export interface RunBulkJob {
  jobId: string;
  /** Trace id of the request that created the job (absent when a sweep re-added it). */
  traceId?: string;
}

/** Scheduler job: send one scheduled message (due when the delayed job fires). */
export interface SendScheduledMessageJob {
  scheduleId: string;
  /** Trace id of the request that created the schedule (absent when a sweep re-added it). */
  traceId?: string;
}

/** Scheduler maintenance job: delete Idempotency-Key records older than the given age. */
export interface PurgeIdempotencyRecordsJob {
  maxAgeMs: number;
}

/** Scheduler maintenance job: delete media no waiting message refers to, older than the given age. */
export interface PurgeUnreferencedMediaJob {
  maxAgeMs: number;
}

/**
 * Published on QUEUES.messageEvents as JOBS.messageStatusBatch: the status changes a worker saw
 * in one event-loop turn, in order.
 */
export interface MessageStatusBatchJob {
  events: MessageStatusChangedEvent[];
}

/** A sent message's delivery status changed (one entry of a MessageStatusBatchJob). */
export interface MessageStatusChangedEvent {
  sessionId: string;
  outboundId: string;
  waMessageId: string;
  to: string;
  status: DeliveryStatus;
  error: string | null;
  at: string;
}

export const INBOUND_KINDS = ['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contact', 'reaction', 'other'] as const;
export type InboundKind = (typeof INBOUND_KINDS)[number];

/**
 * Published on QUEUES.inboundMessages as JOBS.messageReceived for every message a session receives
 * (not its own, not status broadcasts or channels). The job id is `<sessionId>.<waMessageId>`, so
 * a message WhatsApp delivers twice is processed once.
 */
export interface InboundMessageEvent {
  sessionId: string;
  waMessageId: string;
  /** The chat: the sender for direct messages, the group for group messages. */
  chatJid: string;
  isGroup: boolean;
  senderJid: string;
  /** The sender's phone number when WhatsApp disclosed it. */
  senderPhone: string | null;
  pushName: string | null;
  kind: InboundKind;
  /** Text, or the caption of media. */
  text: string | null;
  quotedMessageId: string | null;
  mentions: string[];
  /** The session's own account is mentioned (seed 003: groups are answered only then). */
  mentionsMe: boolean;
  /** The session's own number, to find it in the text (seed 003). */
  ownPhone: string;
  sentAt: string;
  /** Received while the session was offline (delivered on reconnect). */
  offline: boolean;
  traceId: string;
}

/**
 * `<sessionId>.<waMessageId>`: session ids never contain a dot, so the id is unambiguous. Not `:`,
 * which BullMQ refuses in custom job ids (it reserves it for repeatable jobs' `a:b:c` ids).
 */
export const inboundJobId = (sessionId: string, waMessageId: string): string => `${sessionId}.${waMessageId}`;
