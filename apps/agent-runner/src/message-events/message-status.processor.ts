import { Processor, WorkerHost } from '@nestjs/bullmq';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Job } from 'bullmq';
import type { Counter } from 'prom-client';
import { JOBS, QUEUES, WEBHOOK_EVENTS, type MessageStatusChangedEvent } from '@app/contracts';
import { METRICS } from '@app/observability';
import { HistoryRecorder } from '../history/history.recorder';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.service';

/** One delivery per message and status: the same status published twice is delivered once. */
export const messageStatusEventId = (event: MessageStatusChangedEvent): string => `message.status:${event.outboundId}:${event.status}`;

/**
 * Delivery status changes of sent messages (QUEUES.messageEvents): a sent message joins the chat
 * history (behind the allowed-number gate), and every change becomes a `message.status` webhook.
 * Both are idempotent, so a retried job repeats nothing.
 */
@Processor(QUEUES.messageEvents)
export class MessageStatusProcessor extends WorkerHost {
  constructor(
    private readonly history: HistoryRecorder,
    private readonly dispatcher: WebhookDispatcher,
    @InjectMetric(METRICS.jobsProcessed.name) private readonly processed: Counter<string>,
  ) {
    super();
  }

  async process(job: Job<MessageStatusChangedEvent>): Promise<string | null> {
    if (job.name !== JOBS.messageStatusChanged) throw new Error(`Unknown message event ${job.name}`);
    const event = job.data;
    if (event.status === 'sent') await this.history.recordOutbound(event);
    const deliveryId = await this.dispatcher.dispatch({
      eventId: messageStatusEventId(event),
      event: WEBHOOK_EVENTS.messageStatus,
      sessionId: event.sessionId,
      occurredAt: event.at,
      data: event,
    });
    this.processed.inc({ queue: QUEUES.messageEvents, job: job.name, outcome: 'done' });
    return deliveryId;
  }
}
