import type { InboundMessageEvent, MessageStatusChangedEvent, SessionStatusChangedEvent } from './events';
import type { EventEnvelope } from './webhook-events';

/**
 * Live events: what a browser follows over `GET /events` (Server-Sent Events) instead of polling.
 * Names and bodies are the webhooks' (same envelope, same `data`), plus two that only make sense
 * live: every new QR value and pairing code, and bulk-job progress. Never rename: clients switch
 * on these names.
 */
export const LIVE_EVENTS = {
  /** A session's status changed (data: SessionStatusChangedEvent, as the webhook). */
  sessionStatus: 'session.status',
  /** A new QR value to show (it rotates while nobody scans it), or a pairing code (data: SessionQrEvent). */
  sessionQr: 'session.qr',
  /** A session received a message (data: InboundMessageEvent, as the webhook). */
  messageReceived: 'message.received',
  /** A sent message's delivery status changed (data: MessageStatusChangedEvent, as the webhook). */
  messageStatus: 'message.status',
  /** A bulk job advanced or finished (data: JobProgressEvent). */
  jobProgress: 'job.progress',
} as const;

export type LiveEventName = (typeof LIVE_EVENTS)[keyof typeof LIVE_EVENTS];

export const LIVE_EVENT_NAMES: readonly LiveEventName[] = Object.values(LIVE_EVENTS);

/** A new QR value while a session waits to be linked, or the pairing code a phone must type. */
export interface SessionQrEvent {
  sessionId: string;
  /** `qr`: show `qr` as a QR code; `pairing_code`: show `pairingCode` to the user of `phone`. */
  kind: 'qr' | 'pairing_code';
  /** The raw QR string (render it with any QR library), null for a pairing code. */
  qr: string | null;
  pairingCode: string | null;
  /** The phone number the pairing code was requested for, null for a QR. */
  phone: string | null;
  at: string;
}

/** A bulk job's status (the values of bulk_jobs.status). */
export const BULK_JOB_PROGRESS_STATUSES = ['queued', 'processing', 'completed', 'failed', 'cancelled'] as const;
export type BulkJobProgressStatus = (typeof BULK_JOB_PROGRESS_STATUSES)[number];

/** A bulk job's counters after an item, and once more when it ends. */
export interface JobProgressEvent {
  jobId: string;
  sessionId: string;
  status: BulkJobProgressStatus;
  total: number;
  /** Items done: the index of the next item. */
  currentIndex: number;
  successCount: number;
  errorCount: number;
  error: string | null;
  at: string;
}

/** The `data` of each live event. */
export interface LiveEventPayloads {
  'session.status': SessionStatusChangedEvent;
  'session.qr': SessionQrEvent;
  'message.received': InboundMessageEvent;
  'message.status': MessageStatusChangedEvent;
  'job.progress': JobProgressEvent;
}

/** One live event as sent to clients: the webhook envelope (id, event, sessionId, occurredAt, data). */
export type LiveEvent<E extends LiveEventName = LiveEventName> = { [K in E]: EventEnvelope<K, LiveEventPayloads[K]> }[E];

/**
 * Sent first on a resumed stream whose `Last-Event-ID` is older than the stream's retention: the
 * events in between are gone. Reload state over REST (GET /sessions, …) and carry on with the
 * events after it. Its id is the newest lost event's, so a further reconnect does not repeat it.
 * (A client too slow to keep up is disconnected instead; its reconnect replays what it missed.)
 */
export const LIVE_STREAM_GAP_EVENT = 'stream.gap';

export interface LiveStreamGap {
  /** The Last-Event-ID the client sent. */
  lastEventId: string;
}

/**
 * Sent once a stream follows live events: right after connecting, or after the replay of a
 * resumed stream. Its id is the resume point, so even a reconnect before the first event misses
 * nothing; EventSource clients that do not listen for it are not bothered by it.
 */
export const LIVE_STREAM_READY_EVENT = 'stream.ready';

export interface LiveStreamReady {
  /** The id the stream continues after (the same as the message's id). */
  lastEventId: string;
}

/**
 * Where live events travel between processes: one Redis stream per installation
 * (`<REDIS_PREFIX>:live-events`, see redisKeys.liveEvents). Producers (session workers,
 * scheduler) append with XADD; every gateway replica reads it with one blocking XREAD and fans
 * out to its own SSE clients. Entry fields are below; the entry id is the SSE event id.
 *
 * Retention: an event stays replayable (Last-Event-ID) while it is younger than
 * LIVE_EVENTS_RETENTION_MS and fewer than LIVE_EVENTS_MAX_LEN events came after it. Producers
 * append with `MAXLEN ~ LIVE_EVENTS_MAX_LEN` and trim `MINID ~ <now - LIVE_EVENTS_RETENTION_MS>`
 * at most once a second (`~`: Redis trims whole nodes, so it keeps a little more, never less).
 */
export const LIVE_EVENT_STREAM_FIELDS = {
  /** The event name (LiveEventName). */
  event: 'e',
  /** The session the event belongs to (tenancy is resolved from it). */
  sessionId: 's',
  /** The JSON of the whole LiveEvent. */
  body: 'b',
} as const;
