import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { JOBS, QUEUES, type SessionStatusChangedEvent } from '@app/contracts';
import { SessionRepository, type StatusChange } from '@app/db';
import { LiveEventPublisher } from '@app/redis';
import { WorkerIdentity } from '../registry/worker-identity';

export type RecordOutcome = 'recorded' | 'unchanged' | 'stale';

/**
 * Persists a session's status transitions and publishes each real change as an event on the
 * session-events queue (webhooks and other consumers). A transition from a worker whose lease
 * epoch is no longer current is refused ('stale'): that worker has lost the session.
 */
@Injectable()
export class SessionStatusRecorder {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly identity: WorkerIdentity,
    @InjectQueue(QUEUES.sessionEvents) private readonly events: Queue<SessionStatusChangedEvent>,
    private readonly live: LiveEventPublisher,
  ) {}

  /** `epoch` undefined records a change for a session no worker holds (logout or wipe of a stopped session). */
  async record(sessionId: string, epoch: number | undefined, change: StatusChange, reason: string | null, traceId?: string): Promise<RecordOutcome> {
    const transition = await this.sessions.changeStatus(sessionId, change, epoch);
    if (!transition) return 'stale';
    if (transition.previous === change.status) return 'unchanged';
    const event: SessionStatusChangedEvent = {
      eventId: randomUUID(),
      sessionId,
      userId: transition.userId,
      status: change.status,
      previousStatus: transition.previous,
      workerId: this.identity.id,
      phone: change.phone ?? null,
      reason,
      at: new Date().toISOString(),
      traceId: traceId ?? randomUUID(),
    };
    void this.live.sessionStatus(event);
    await this.events.add(JOBS.sessionStatusChanged, event, { removeOnComplete: 1_000, removeOnFail: 5_000 });
    return 'recorded';
  }
}
