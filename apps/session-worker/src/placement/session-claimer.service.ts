import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { SessionWorkerConfig } from '@app/config';
import type { SessionReservation, WorkerInfo } from '@app/contracts';
import { SessionRepository } from '@app/db';
import { SessionLeaseRepository, SessionMovesRepository, WorkerRegistryRepository } from '@app/redis';
import { WorkerHeartbeatService } from '../registry/worker-heartbeat.service';
import { WorkerIdentity } from '../registry/worker-identity';
import { WorkerStateService } from '../registry/worker-state';
import { SessionSupervisor } from '../sessions/session-supervisor.service';
import { liveWithSelf, loadsOf, roomToClaim, someoneLessLoaded } from './fair-share';
import { MoveReceiver } from './move-receiver.service';
import { UnplacedSessions } from './unplaced-sessions.service';

/** A less loaded worker gets this head start on sessions that need an owner. */
const DEFER_TO_LESS_LOADED_MS = 300;

/**
 * Places sessions on workers without a coordinator: every worker periodically (and when woken)
 * looks for sessions that want a connection but have no lease holder. Sessions reserved for this
 * worker by a planned hand-over are claimed first; those reserved for another live, active worker
 * are left to it; the rest are claimed up to this worker's fair share (nothing while it is
 * draining or leaving). New sessions and a dead worker's orphans are picked up this way; a less
 * loaded worker claims first, and the lease decides any race. What no worker has room for is
 * counted and marked as unplaced.
 */
@Injectable()
export class SessionClaimer {
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;
  private stopped = false;
  private waiting = 0;

  constructor(
    private readonly sessions: SessionRepository,
    private readonly leases: SessionLeaseRepository,
    private readonly moves: SessionMovesRepository,
    private readonly registry: WorkerRegistryRepository,
    private readonly supervisor: SessionSupervisor,
    private readonly receiver: MoveReceiver,
    private readonly unplaced: UnplacedSessions,
    private readonly heartbeat: WorkerHeartbeatService,
    private readonly state: WorkerStateService,
    private readonly identity: WorkerIdentity,
    private readonly config: SessionWorkerConfig,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(SessionClaimer.name);
  }

  /** Sessions the last reconciliation found without a holder and not on their way to a live worker. */
  get waitingForPlacement(): number {
    return this.waiting;
  }

  start(): void {
    this.started = true;
    this.timer = setInterval(() => this.reconcileSoon(), this.config.RECONCILE_INTERVAL_MS);
    this.reconcileSoon();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Runs a reconciliation now, or right after the one in progress. */
  reconcileSoon(): void {
    if (!this.started || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.reconcile()
      .catch((error: Error) => this.logger.warn({ err: error }, 'reconciliation failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.reconcileSoon();
        }
      });
  }

  private async reconcile(): Promise<void> {
    const wanted = await this.sessions.listWantingConnection();
    const unheld = wanted.filter((id) => !this.supervisor.holds(id));
    const [owners, live] = await Promise.all([this.leases.ownersOf(unheld), this.registry.listLive()]);
    const free = unheld.filter((id) => owners.get(id) === null);
    const workers = liveWithSelf(live, this.heartbeat.describe());
    const { mine, waiting } = this.sortByReservation(free, await this.moves.reservationsOf(free), workers);
    this.waiting = waiting.length;
    const unplaced = this.unplaced.count(waiting.length, workers);
    if (this.stopped || !this.state.active) return;

    await forEachLimited(mine, this.config.RESTORE_CONCURRENCY, async ([sessionId, reservation]) => {
      if (!this.stopped) await this.claimQuietly(() => this.receiver.claimReserved(sessionId, reservation));
    });
    if (waiting.length === 0) return;
    const loads = loadsOf(liveWithSelf(live, this.heartbeat.describe()));
    let room = roomToClaim(this.identity.id, loads, wanted.length);
    if (room > 0) {
      if (someoneLessLoaded(this.identity.id, loads)) await new Promise((resolve) => setTimeout(resolve, DEFER_TO_LESS_LOADED_MS));
      const candidates = shuffle(waiting).slice(0, room);
      await forEachLimited(candidates, this.config.RESTORE_CONCURRENCY, async (sessionId) => {
        if (this.stopped || room <= 0 || !this.state.active) return;
        if (await this.claimQuietly(() => this.supervisor.claim(sessionId))) room -= 1;
      });
    }
    if (unplaced > 0) await this.unplaced.mark(waiting.filter((id) => !this.supervisor.holds(id)));
  }

  /**
   * Free sessions reserved for this worker, and those nobody is bringing in (no reservation, or
   * one for a worker that is gone, draining or leaving).
   */
  private sortByReservation(free: string[], reservations: Map<string, SessionReservation | null>, workers: WorkerInfo[]) {
    const receivers = new Set(workers.filter((worker) => worker.state === 'active').map((worker) => worker.id));
    const mine: Array<[string, SessionReservation]> = [];
    const waiting: string[] = [];
    for (const sessionId of free) {
      const reservation = reservations.get(sessionId);
      if (reservation?.to === this.identity.id) mine.push([sessionId, reservation]);
      else if (!reservation || !receivers.has(reservation.to)) waiting.push(sessionId);
    }
    return { mine, waiting };
  }

  /** A claim that failed (its start, say) is logged; the next reconciliation, here or elsewhere, tries again. */
  private async claimQuietly(claim: () => Promise<boolean>): Promise<boolean> {
    try {
      return await claim();
    } catch (error) {
      this.logger.warn({ err: error }, 'claim failed');
      return false;
    }
  }
}

function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}
