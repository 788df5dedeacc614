import { Injectable, Logger } from '@nestjs/common';
import { CoreConfig } from '@app/config';
import {
  LIVE_EVENT_STREAM_FIELDS as FIELDS,
  redisKeys,
  type InboundMessageEvent,
  type JobProgressEvent,
  type LiveEvent,
  type MessageStatusChangedEvent,
  type SessionStatusChangedEvent,
} from '@app/contracts';
import { RedisClient } from '../redis-client';
import { liveEventOf } from './live-event.builders';

/** Age trimming (XTRIM MINID) runs at most this often per process; MAXLEN trims on every append. */
const AGE_TRIM_INTERVAL_MS = 1_000;

/**
 * Appends live events to the installation's Redis stream, which every gateway replica reads and
 * fans out to its SSE clients (GET /events). A batch goes out as one pipeline, in order. Live
 * events are notifications next to the durable record (database, queues, webhooks): a failed
 * append is logged and never fails the caller, so the shortcut methods can be called with `void`.
 */
@Injectable()
export class LiveEventPublisher {
  private readonly logger = new Logger(LiveEventPublisher.name);
  private readonly key: string;
  private lastAgeTrim = 0;

  constructor(
    private readonly redis: RedisClient,
    private readonly config: CoreConfig,
  ) {
    this.key = redisKeys.liveEvents(config.REDIS_PREFIX);
  }

  /** Appends the events in one round trip, in the order given; resolves once Redis has them (or the append failed). */
  async publish(events: readonly LiveEvent[]): Promise<void> {
    if (events.length === 0) return;
    const pipeline = this.redis.pipeline();
    const maxLen = String(this.config.LIVE_EVENTS_MAX_LEN);
    for (const event of events) {
      pipeline.xadd(this.key, 'MAXLEN', '~', maxLen, '*', FIELDS.event, event.event, FIELDS.sessionId, event.sessionId, FIELDS.body, JSON.stringify(event));
    }
    const now = Date.now();
    if (now - this.lastAgeTrim >= AGE_TRIM_INTERVAL_MS) {
      this.lastAgeTrim = now;
      pipeline.xtrim(this.key, 'MINID', '~', `${now - this.config.LIVE_EVENTS_RETENTION_MS}-0`);
    }
    try {
      const results = (await pipeline.exec()) ?? [];
      const failure = results.find(([error]) => error)?.[0];
      if (failure) throw failure;
    } catch (error) {
      this.logger.warn(`live events not published (${events.map((event) => event.id).join(', ')}): ${(error as Error).message}`);
    }
  }

  sessionStatus(event: SessionStatusChangedEvent): Promise<void> {
    return this.publish([liveEventOf.sessionStatus(event)]);
  }

  qr(sessionId: string, qr: string): Promise<void> {
    return this.publish([liveEventOf.qr(sessionId, qr)]);
  }

  pairingCode(sessionId: string, phone: string, code: string): Promise<void> {
    return this.publish([liveEventOf.pairingCode(sessionId, phone, code)]);
  }

  messageReceived(event: InboundMessageEvent): Promise<void> {
    return this.publish([liveEventOf.messageReceived(event)]);
  }

  messageStatus(event: MessageStatusChangedEvent): Promise<void> {
    return this.publish([liveEventOf.messageStatus(event)]);
  }

  jobProgress(event: JobProgressEvent): Promise<void> {
    return this.publish([liveEventOf.jobProgress(event)]);
  }
}
