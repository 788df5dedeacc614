import { Processor, WorkerHost } from '@nestjs/bullmq';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Job } from 'bullmq';
import type { Counter } from 'prom-client';
import { JOBS, QUEUES, WEBHOOK_EVENTS, type MessageStatusBatchJob, type MessageStatusChangedEvent } from '@app/contracts';
import { METRICS } from '@app/observability';
import { HistoryRecorder } from '../history/history.recorder';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.service';

/** One delivery per message and status: the same status published twice is delivered once. */
const messageStatusEventId = (event: MessageStatusChangedEvent): string => `message.status:${event.outboundId}:${event.status}`;

/**
 * Delivery status changes of sent messages (QUEUES.messageEvents, a batch per job): a sent message
 * joins the chat history (behind the allowed-number gate), and every change becomes a
 * `message.status` webhook. Both are idempotent, so a retried job repeats nothing; the events of a
 * batch are handled in order, so each session's statuses reach its webhook in order.
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

  async process(job: Job<MessageStatusBatchJob | MessageStatusChangedEvent>): Promise<number> {
    const events = eventsOf(job);
    for (const event of events) await this.handle(event);
    this.processed.inc({ queue: QUEUES.messageEvents, job: job.name, outcome: 'done' });
    return events.length;
  }

  private async handle(event: MessageStatusChangedEvent): Promise<void> {
    if (event.status === 'sent') await this.history.recordOutbound(event);
    await this.dispatcher.dispatch({
      eventId: messageStatusEventId(event),
      event: WEBHOOK_EVENTS.messageStatus,
      sessionId: event.sessionId,
      occurredAt: event.at,
      data: event,
    });
  }
}

/** Batches, and the one-event jobs of workers from before batching (a rolling deploy runs both). */
function eventsOf(job: Job<MessageStatusBatchJob | MessageStatusChangedEvent>): MessageStatusChangedEvent[] {
  if (job.name === JOBS.messageStatusBatch) return (job.data as MessageStatusBatchJob).events;
  if (job.name === JOBS.messageStatusChanged) return [job.data as MessageStatusChangedEvent];
  throw new Error(`Unknown message event ${job.name}`);
}
