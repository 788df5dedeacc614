import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { PinoLogger } from 'nestjs-pino';
import type { Counter } from 'prom-client';
import { SessionWorkerConfig } from '@app/config';
import type { MoveReason } from '@app/contracts';
import { METRICS } from '@app/observability';
import { SessionLeaseRepository, SessionMovesRepository } from '@app/redis';
import { WorkerIdentity } from '../registry/worker-identity';
import { SessionSupervisor } from '../sessions/session-supervisor.service';
import { waitUntil } from './wait-until';

/** A reservation outlives the hand-over by this much, so the receiver's next reconciliation still finds it. */
const RESERVATION_MARGIN_MS = 10_000;

/**
 * The giving side of a planned hand-over of one session to another worker:
 * 1. reserve the session for the receiver (the others leave it alone while the receiver is live
 *    and active), and stop taking sends for it (they get SESSION_NOT_READY with Retry-After);
 * 2. wait for what is in flight (the send being accepted or sent, its `sent` record, auth-state
 *    writes), at most MOVE_QUIESCE_TIMEOUT_MS;
 * 3. close the socket, let the writes on their way land, release the lease;
 * 4. nudge the receiver, which claims the session and connects it from the stored auth state.
 * The lease is let go before anyone else can take it, so one account never has two sockets.
 */
@Injectable()
export class SessionMover {
  constructor(
    private readonly supervisor: SessionSupervisor,
    private readonly moves: SessionMovesRepository,
    private readonly leases: SessionLeaseRepository,
    private readonly identity: WorkerIdentity,
    private readonly config: SessionWorkerConfig,
    private readonly logger: PinoLogger,
    @InjectMetric(METRICS.sessionMoves.name) private readonly moved: Counter<string>,
  ) {
    logger.setContext(SessionMover.name);
  }

  /**
   * Hands the session to `to` (null: to whoever claims it, when no worker has room); resolves
   * true once this worker let it go, false when it was not handed over (not held, already
   * moving, ended meanwhile, or the reservation could not be written).
   */
  async handOver(sessionId: string, to: string | null, reason: MoveReason): Promise<boolean> {
    if (!this.supervisor.holds(sessionId)) return false;
    const since = Date.now();
    if (to) {
      try {
        const ttlMs = this.config.MOVE_QUIESCE_TIMEOUT_MS + RESERVATION_MARGIN_MS;
        await this.moves.reserve(sessionId, { to, from: this.identity.id, reason, since }, ttlMs);
      } catch (error) {
        this.logger.warn({ err: error, sessionId, to }, 'move not started: reservation failed');
        return false;
      }
    }
    const runtime = this.supervisor.beginHandOver(sessionId);
    if (!runtime) {
      if (to) await this.settle(sessionId, to);
      return false;
    }
    const quiet = await waitUntil(() => runtime.quiet, this.config.MOVE_QUIESCE_TIMEOUT_MS);
    if (!quiet)
      this.logger.warn(
        { sessionId, to, waitedMs: Date.now() - since },
        'moving a session whose send did not finish in time; its new owner sends it again under the same id',
      );
    const released = await this.supervisor.completeHandOver(sessionId, runtime, `${reason} to ${to ?? 'any worker'}`);
    if (!released) {
      if (to) await this.settle(sessionId, to);
      return false;
    }
    this.moved.inc({ worker: this.identity.id, reason });
    try {
      if (to) await this.moves.nudgeReceiver(to, sessionId);
      else await this.leases.wakeWorkers();
    } catch (error) {
      // The receiver's reconciliation finds the reserved session anyway.
      this.logger.warn({ err: error, sessionId, to }, 'receiver not nudged');
    }
    this.logger.info({ sessionId, to, reason, unavailableMs: Date.now() - since }, 'session handed over');
    return true;
  }

  private async settle(sessionId: string, to: string): Promise<void> {
    await this.moves.settle(sessionId, to).catch((error: Error) => this.logger.warn({ err: error, sessionId }, 'reservation not withdrawn; it expires'));
  }
}
