import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Queue } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import type { Counter } from 'prom-client';
import { inboundJobId, JOBS, QUEUES, type InboundMessageEvent } from '@app/contracts';
import { METRICS } from '@app/observability';
import { LiveEventPublisher } from '@app/redis';
import type { ReceivedMessage } from '../whatsapp/whatsapp-connection';

/** How long a received message's job is kept, so a redelivery of the same id is recognised. */
const DEDUPE_WINDOW_S = 24 * 3600;

/** Hands every received message to the inbound queue (agent-runner: history, webhooks, AI agent). */
@Injectable()
export class InboundPublisher {
  constructor(
    @InjectQueue(QUEUES.inboundMessages) private readonly queue: Queue<InboundMessageEvent>,
    @InjectMetric(METRICS.messagesReceived.name) private readonly received: Counter<string>,
    private readonly logger: PinoLogger,
    private readonly live: LiveEventPublisher,
  ) {
    logger.setContext(InboundPublisher.name);
  }

  async publish(sessionId: string, message: ReceivedMessage): Promise<void> {
    const event: InboundMessageEvent = { ...message, sessionId, traceId: randomUUID() };
    void this.live.messageReceived(event);
    // The job id is the WhatsApp message id: BullMQ ignores a second add while the first job is kept.
    await this.queue.add(JOBS.messageReceived, event, {
      jobId: inboundJobId(sessionId, message.waMessageId),
      attempts: 5,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: { age: DEDUPE_WINDOW_S },
      removeOnFail: { age: DEDUPE_WINDOW_S },
    });
    this.received.inc();
    this.logger.debug({ sessionId, waMessageId: message.waMessageId, traceId: event.traceId }, 'message received');
  }
}
