import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { PinoLogger } from 'nestjs-pino';
import type { Histogram } from 'prom-client';
import { SessionWorkerConfig } from '@app/config';
import type { SessionReservation } from '@app/contracts';
import { METRICS } from '@app/observability';
import { SessionMovesRepository } from '@app/redis';
import { WorkerHeartbeatService } from '../registry/worker-heartbeat.service';
import { WorkerIdentity } from '../registry/worker-identity';
import { WorkerStateService } from '../registry/worker-state';
import { SessionSupervisor } from '../sessions/session-supervisor.service';
import { waitUntil } from './wait-until';

/** A moved session that is not connected this long after arriving is left out of session_move_duration_seconds. */
const CONNECT_WATCH_MS = 60_000;

/**
 * The receiving side of a planned hand-over: claims a session reserved for this worker as soon
 * as its old owner let it go (nudged over pub/sub, or found by the next reconciliation), and
 * records how long the session took no sends, from the old owner stopping them to this worker
 * being connected.
 */
@Injectable()
export class MoveReceiver {
  /** Claims under way, and those waiting for a turn: at most RESTORE_CONCURRENCY connect at once. */
  private claiming = 0;
  private readonly turns: Array<() => void> = [];
  /** Sessions being claimed here as moves (the nudge and a reconciliation may both ask). */
  private readonly arriving = new Set<string>();

  constructor(
    private readonly supervisor: SessionSupervisor,
    private readonly moves: SessionMovesRepository,
    private readonly heartbeat: WorkerHeartbeatService,
    private readonly state: WorkerStateService,
    private readonly identity: WorkerIdentity,
    private readonly config: SessionWorkerConfig,
    private readonly logger: PinoLogger,
    @InjectMetric(METRICS.sessionMoveDuration.name) private readonly duration: Histogram<string>,
  ) {
    logger.setContext(MoveReceiver.name);
  }

  /** The old owner let the session go: claim it if it is still reserved for this worker. */
  async adopt(sessionId: string): Promise<void> {
    try {
      const reservation = await this.moves.reservationOf(sessionId);
      if (reservation?.to === this.identity.id) await this.claimReserved(sessionId, reservation);
    } catch (error) {
      this.logger.warn({ err: error, sessionId }, 'moved session not claimed; the next reconciliation tries again');
    }
  }

  /**
   * Claims a session reserved for this worker (a shutdown hands many over at once: they connect
   * RESTORE_CONCURRENCY at a time); the reservation is settled whatever happens.
   */
  async claimReserved(sessionId: string, reservation: SessionReservation): Promise<boolean> {
    if (this.arriving.has(sessionId)) return false;
    this.arriving.add(sessionId);
    await this.turn();
    let claimed: boolean;
    const counted: { done: Promise<void> | null } = { done: null };
    try {
      if (!this.state.active || this.supervisor.holds(sessionId) || this.supervisor.count >= this.config.WORKER_CAPACITY) return false;
      claimed = await this.supervisor.claim(sessionId, {
        at: Date.now(),
        held: () => {
          counted.done = this.countAsHeld(sessionId);
        },
      });
    } finally {
      await (counted.done ?? this.moves.settle(sessionId, this.identity.id)).catch((error: Error) =>
        this.logger.warn({ err: error, sessionId }, 'reservation not settled; it expires by itself'),
      );
      this.arriving.delete(sessionId);
      this.release();
    }
    if (claimed) void this.recordArrival(sessionId, reservation);
    return claimed;
  }

  /**
   * The session is held here now (still connecting): the registry says so first, then the move
   * stops counting as incoming, so planners never count it twice (and send sessions elsewhere).
   */
  private async countAsHeld(sessionId: string): Promise<void> {
    await this.heartbeat.beatNow();
    await this.moves.settle(sessionId, this.identity.id);
  }

  private async turn(): Promise<void> {
    if (this.claiming < this.config.RESTORE_CONCURRENCY) {
      this.claiming += 1;
      return;
    }
    // The finishing claim hands its slot straight to the next one.
    await new Promise<void>((resolve) => this.turns.push(resolve));
  }

  private release(): void {
    const next = this.turns.shift();
    if (next) next();
    else this.claiming -= 1;
  }

  private async recordArrival(sessionId: string, reservation: SessionReservation): Promise<void> {
    const runtime = () => this.supervisor.runtimeIfHeld(sessionId);
    await waitUntil(() => runtime()?.connected ?? true, CONNECT_WATCH_MS, 50);
    if (!runtime()?.connected) return;
    const seconds = (Date.now() - reservation.since) / 1000;
    this.duration.observe({ worker: this.identity.id }, seconds);
    this.logger.info({ sessionId, from: reservation.from, reason: reservation.reason, unavailableSeconds: seconds }, 'moved session connected');
  }
}
