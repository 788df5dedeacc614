import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { eventEnvelopeIds, JOBS, QUEUES, WEBHOOK_EVENTS, type SessionStatusChangedEvent } from '@app/contracts';
import { WebhookDispatcher } from './webhook-dispatcher.service';

/** Consumes the session lifecycle events the workers publish and fans them out to webhooks. */
@Processor(QUEUES.sessionEvents)
export class SessionEventsProcessor extends WorkerHost {
  constructor(private readonly dispatcher: WebhookDispatcher) {
    super();
  }

  async process(job: Job<SessionStatusChangedEvent>): Promise<string | null> {
    if (job.name !== JOBS.sessionStatusChanged) throw new Error(`Unknown session event ${job.name}`);
    return this.dispatcher.dispatch({
      eventId: eventEnvelopeIds.sessionStatus(job.data),
      event: WEBHOOK_EVENTS.sessionStatus,
      sessionId: job.data.sessionId,
      occurredAt: job.data.at,
      data: job.data,
    });
  }
}
