import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Queue } from 'bullmq';
import type { Counter } from 'prom-client';
import { JOBS, QUEUES, type DeliveryStatus, type MessageStatusChangedEvent } from '@app/contracts';
import type { OutboundRecord } from '@app/db';
import { METRICS } from '@app/observability';
import { LiveEventPublisher } from '@app/redis';

/** Counts sends and failures, and publishes every delivery status change for webhooks. */
@Injectable()
export class MessageStatusPublisher {
  constructor(
    @InjectQueue(QUEUES.messageEvents) private readonly events: Queue<MessageStatusChangedEvent>,
    @InjectMetric(METRICS.messagesSent.name) private readonly sent: Counter<string>,
    @InjectMetric(METRICS.errors.name) private readonly errors: Counter<string>,
    private readonly live: LiveEventPublisher,
  ) {}

  async publish(record: OutboundRecord, status: DeliveryStatus, error: string | null): Promise<void> {
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
    void this.live.messageStatus(event);
    await this.events.add(JOBS.messageStatusChanged, event, { removeOnComplete: 1_000, removeOnFail: 5_000 });
  }
}
