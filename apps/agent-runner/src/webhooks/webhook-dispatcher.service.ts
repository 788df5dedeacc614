import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AgentRunnerConfig } from '@app/config';
import { JOBS, QUEUES, type DeliverWebhookJob, type WebhookBody, type WebhookEvent } from '@app/contracts';
import { SessionWebhookRepository, WebhookDeliveryRepository } from '@app/db';

export interface EventToDispatch<T> {
  /** Stable id of the source event; re-dispatching the same id never makes a second delivery. */
  eventId: string;
  event: WebhookEvent;
  sessionId: string;
  occurredAt: string;
  data: T;
}

/** Turns a session event into a logged, queued webhook delivery when the session subscribes to it. */
@Injectable()
export class WebhookDispatcher {
  constructor(
    private readonly targets: SessionWebhookRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly config: AgentRunnerConfig,
    @InjectQueue(QUEUES.webhookDeliveries) private readonly queue: Queue<DeliverWebhookJob>,
  ) {}

  /** Returns the delivery id, or null when the session has no webhook for this event. */
  async dispatch<T>(source: EventToDispatch<T>): Promise<string | null> {
    const target = await this.targets.findTarget(source.sessionId);
    if (!target || (target.events.length > 0 && !target.events.includes(source.event))) return null;
    const body: WebhookBody<T> = {
      id: source.eventId,
      event: source.event,
      sessionId: source.sessionId,
      occurredAt: source.occurredAt,
      data: source.data,
    };
    const delivery = await this.deliveries.createOnce({
      eventId: source.eventId,
      sessionId: source.sessionId,
      event: source.event,
      url: target.url,
      payload: body,
    });
    // The delivery id doubles as the job id, so a repeated dispatch cannot queue it twice.
    await this.queue.add(JOBS.deliverWebhook, { deliveryId: delivery.id }, {
      jobId: delivery.id,
      attempts: this.config.WEBHOOK_MAX_ATTEMPTS,
      backoff: { type: 'exponential', delay: this.config.WEBHOOK_RETRY_BASE_MS },
      removeOnComplete: 1_000,
      removeOnFail: 1_000,
    });
    return delivery.id;
  }
}
