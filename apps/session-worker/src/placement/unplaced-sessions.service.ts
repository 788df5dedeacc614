import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { PinoLogger } from 'nestjs-pino';
import type { Gauge } from 'prom-client';
import { UNPLACED_ERROR, unplacedCount, type WorkerInfo } from '@app/contracts';
import { SessionRepository } from '@app/db';
import { METRICS } from '@app/observability';
import { SessionStatusRecorder } from '../sessions/session-status.recorder';

/** Sessions marked per reconciliation at most (the rest on the next ones), so a big shortfall is no write storm. */
const MARK_BATCH = 100;

/**
 * Sessions that want a connection but cannot get one because every live worker is full or
 * draining: counted in `sessions_unplaced`, and each shown as `disconnected` with UNPLACED_ERROR
 * as its lastError (a status change clients see, also as a webhook). The mark is fenced by the
 * session's lease epoch, so it never overwrites what a worker that claims the session meanwhile
 * records; that worker's `connected` clears it.
 */
@Injectable()
export class UnplacedSessions {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly recorder: SessionStatusRecorder,
    private readonly logger: PinoLogger,
    @InjectMetric(METRICS.sessionsUnplaced.name) private readonly gauge: Gauge<string>,
  ) {
    logger.setContext(UnplacedSessions.name);
  }

  /** Counts `waiting` sessions (no holder, no live receiver) beyond the workers' room; returns that count. */
  count(waiting: number, workers: readonly WorkerInfo[]): number {
    const unplaced = unplacedCount(waiting, workers);
    this.gauge.set(unplaced);
    return unplaced;
  }

  /** Marks sessions still waiting after this worker's claims, when the cluster has no room for them. */
  async mark(stillWaiting: string[]): Promise<void> {
    const states = await this.sessions.placementStates(stillWaiting.slice(0, MARK_BATCH));
    const unmarked = states.filter((state) => !(state.status === 'disconnected' && state.lastError === UNPLACED_ERROR));
    for (const state of unmarked) {
      const change = {
        status: 'disconnected' as const,
        lastError: UNPLACED_ERROR,
        ...(state.status === 'connected' ? { lastDisconnectedAt: new Date() } : {}),
      };
      await this.recorder.record(state.id, state.epoch, change, 'no session worker has room').catch((error: Error) => {
        this.logger.warn({ err: error, sessionId: state.id }, 'unplaced session not marked');
      });
    }
    if (unmarked.length > 0) this.logger.warn({ sessions: unmarked.length }, 'sessions wait for a worker: every live worker is full or draining');
  }
}
