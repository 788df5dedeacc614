import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Queue } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import type { Counter } from 'prom-client';
import { JOBS, QUEUES, type DeliveryStatus, type MessageStatusBatchJob, type MessageStatusChangedEvent } from '@app/contracts';
import type { OutboundRecord } from '@app/db';
import { METRICS } from '@app/observability';
import { LiveEventPublisher, liveEventOf } from '@app/redis';
import { TickBatcher } from '../batching/tick-batcher';

/** Status events wait this long for company: they feed webhooks and history, where a few ms do not matter. */
const EVENT_LINGER_MS = 20;

/**
 * Publishes delivery status changes (sent, delivered, read, failed) for webhooks and history, and
 * counts sends and failures. The changes of one event-loop turn leave as one job: a busy worker
 * makes one Redis write per turn instead of one job per message and status.
 */
@Injectable()
export class MessageEventsPublisher {
  private readonly batcher: TickBatcher<MessageStatusChangedEvent, void>;

  constructor(
    @InjectQueue(QUEUES.messageEvents) queue: Queue<MessageStatusBatchJob>,
    @InjectMetric(METRICS.messagesSent.name) private readonly sent: Counter<string>,
    @InjectMetric(METRICS.errors.name) private readonly errors: Counter<string>,
    private readonly logger: PinoLogger,
    live: LiveEventPublisher,
  ) {
    logger.setContext(MessageEventsPublisher.name);
    this.batcher = new TickBatcher<MessageStatusChangedEvent, void>(
      async (events) => {
        void live.publish(events.map(liveEventOf.messageStatus));
        await queue.add(JOBS.messageStatusBatch, { events }, { removeOnComplete: 1_000, removeOnFail: 5_000 });
        return events.map(() => undefined);
      },
      { lingerMs: EVENT_LINGER_MS },
    );
  }

  publish(record: OutboundRecord, status: DeliveryStatus, error: string | null): void {
    if (status === 'sent') this.sent.inc({ kind: record.kind });
    if (status === 'failed') this.errors.inc({ code: 'SEND_FAILED' });
    const event: MessageStatusChangedEvent = {
      sessionId: record.sessionId,
      outboundId: record.id,
      waMessageId: record.waMessageId,
      to: record.toJid,
      status,
      error,
      at: new Date().toISOString(),
    };
    this.batcher.add(event).catch((failure: Error) => this.logger.warn({ err: failure, sessionId: record.sessionId }, 'status event not published'));
  }
}
