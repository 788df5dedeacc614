import { Injectable } from '@nestjs/common';
import { AppError, type WorkerCommand, type WorkerInfo, type WorkerRequest, type WorkerResponse } from '@app/contracts';
import { SessionLeaseRepository, SessionMovesRepository, WorkerRegistryRepository } from '@app/redis';
import { WorkerRpcClient } from './worker-rpc.client';

/** A live-state lookup is a courtesy: a slow owner must not hold up the response for long. */
const STATE_TIMEOUT_MS = 1_500;

/**
 * How long a session's owner and the list of live workers are reused before Redis is asked again:
 * a busy session's sends skip that round trip. An owner that let the session go answers
 * WORKER_NOT_OWNER and is looked up again at once; a dead one leaves the registry later than this.
 */
const OWNER_CACHE_MS = 1_000;
/** Remembered owners beyond which expired ones are swept. */
const OWNER_CACHE_SWEEP_SIZE = 10_000;

/**
 * Routes session commands: to the worker holding the session's lease, or, when none does, to the
 * worker the session is being handed to (a planned move), else to the least loaded active worker
 * (which then claims the session; draining and leaving workers take none). Workers' load comes
 * from their last heartbeat plus what this gateway sent them since, so a burst of new sessions
 * spreads out.
 */
@Injectable()
export class SessionCommandRouter {
  private readonly assignedSince = new Map<string, number[]>();
  private readonly knownOwners = new Map<string, { owner: string; until: number }>();
  private liveWorkers: { ids: string[]; until: number } | null = null;

  constructor(
    private readonly leases: SessionLeaseRepository,
    private readonly registry: WorkerRegistryRepository,
    private readonly moves: SessionMovesRepository,
    private readonly rpc: WorkerRpcClient,
  ) {}

  /** The worker holding the session now, or null. */
  ownerOf(sessionId: string): Promise<string | null> {
    return this.leases.ownerOf(sessionId);
  }

  async send<C extends WorkerCommand>(sessionId: string, command: C, request: WorkerRequest<C>, timeoutMs?: number): Promise<WorkerResponse<C>> {
    // The session may move between any lookup and its arrival (hand-over, capacity): always look again once.
    return this.lookingAgainIfMoved(sessionId, true, () => this.sendOnce(sessionId, command, request, timeoutMs));
  }

  /**
   * Sends to the worker holding the session, never to another one (commands that need a live
   * connection): SESSION_NOT_READY with `held: false` when nobody holds it, and with
   * `retryAfterSeconds` when its holder died or handed it to another worker that is about to
   * connect it.
   */
  async sendToHolder<C extends WorkerCommand>(sessionId: string, command: C, request: WorkerRequest<C>, timeoutMs?: number): Promise<WorkerResponse<C>> {
    // Only a remembered owner can be out of date here; a fresh lookup's answer stands.
    const remembered = this.knownOwners.has(sessionId);
    return this.lookingAgainIfMoved(sessionId, remembered, () => this.sendToHolderOnce(sessionId, command, request, timeoutMs));
  }

  /** Forgets the session's owner when it refused or did not answer; tries once more on a refusal when `retry`. */
  private async lookingAgainIfMoved<T>(sessionId: string, retry: boolean, attempt: () => Promise<T>): Promise<T> {
    try {
      return await attempt();
    } catch (error) {
      const notOwner = error instanceof AppError && error.code === 'WORKER_NOT_OWNER';
      if (notOwner || (error instanceof AppError && error.code === 'WORKER_TIMEOUT')) this.knownOwners.delete(sessionId);
      if (!notOwner || !retry) throw error;
      return attempt();
    }
  }

  private async sendToHolderOnce<C extends WorkerCommand>(
    sessionId: string,
    command: C,
    request: WorkerRequest<C>,
    timeoutMs?: number,
  ): Promise<WorkerResponse<C>> {
    const [owner, liveIds] = await this.ownerAndLiveWorkers(sessionId);
    if (!owner) {
      const reservation = await this.moves.reservationOf(sessionId);
      if (reservation && liveIds.includes(reservation.to)) throw moving(sessionId, reservation.to);
      throw new AppError('SESSION_NOT_READY', `No worker holds session ${sessionId}`, { held: false });
    }
    if (!liveIds.includes(owner)) throw takingOver(sessionId);
    return this.rpc.send(owner, command, request, timeoutMs);
  }

  /** Sends to the owner only, briefly; null when no live worker holds the session or it does not answer. */
  async sendToOwner<C extends WorkerCommand>(sessionId: string, command: C, request: WorkerRequest<C>): Promise<WorkerResponse<C> | null> {
    const owner = await this.leases.ownerOf(sessionId);
    if (!owner) return null;
    try {
      return await this.rpc.send(owner, command, request, STATE_TIMEOUT_MS);
    } catch (error) {
      if (error instanceof AppError && (error.code === 'WORKER_NOT_OWNER' || error.code === 'WORKER_TIMEOUT')) return null;
      throw error;
    }
  }

  private async sendOnce<C extends WorkerCommand>(sessionId: string, command: C, request: WorkerRequest<C>, timeoutMs?: number): Promise<WorkerResponse<C>> {
    const [owner, liveIds] = await this.ownerAndLiveWorkers(sessionId);
    // The owner died holding the lease; another worker takes the session once the lease expires.
    if (owner && !liveIds.includes(owner)) throw takingOver(sessionId);
    return this.rpc.send(owner ?? (await this.placeUnheld(sessionId)), command, request, timeoutMs);
  }

  /** The session's owner (null: none) and the live workers' ids, remembered for OWNER_CACHE_MS. */
  private async ownerAndLiveWorkers(sessionId: string): Promise<[string | null, string[]]> {
    const now = Date.now();
    const known = this.knownOwners.get(sessionId);
    if (known && known.until > now && this.liveWorkers && this.liveWorkers.until > now) return [known.owner, this.liveWorkers.ids];
    // Both lookups leave in one write: one round trip.
    const [owner, liveIds] = await Promise.all([this.leases.ownerOf(sessionId), this.registry.liveIds()]);
    const until = Date.now() + OWNER_CACHE_MS;
    this.liveWorkers = { ids: liveIds, until };
    if (owner && liveIds.includes(owner)) this.rememberOwner(sessionId, owner, until);
    else this.knownOwners.delete(sessionId);
    return [owner, liveIds];
  }

  private rememberOwner(sessionId: string, owner: string, until: number): void {
    if (this.knownOwners.size >= OWNER_CACHE_SWEEP_SIZE) {
      const now = Date.now();
      for (const [id, entry] of this.knownOwners) if (entry.until <= now) this.knownOwners.delete(id);
    }
    this.knownOwners.set(sessionId, { owner, until });
  }

  /** The worker a session nobody holds goes to: the one it is being handed to, else the least loaded active one. */
  private async placeUnheld(sessionId: string): Promise<string> {
    const [reservation, live] = await Promise.all([this.moves.reservationOf(sessionId), this.registry.listLive()]);
    const receiver = reservation && live.find((worker) => worker.id === reservation.to && worker.state === 'active');
    return receiver ? receiver.id : this.leastLoadedOf(live);
  }

  private leastLoadedOf(live: WorkerInfo[]): string {
    const load = (worker: WorkerInfo) => (worker.sessionsHeld + this.assignedAfter(worker)) / worker.capacity;
    const active = live.filter((worker) => worker.state === 'active');
    const candidates = active.filter((worker) => load(worker) < 1).sort((a, b) => load(a) - load(b) || a.id.localeCompare(b.id));
    const chosen = candidates[0];
    if (!chosen) {
      if (live.length === 0) throw new AppError('NO_WORKER_AVAILABLE', 'No session worker is running');
      if (active.length === 0)
        throw new AppError(
          'NO_WORKER_AVAILABLE',
          `Every session worker is draining or leaving (${live.map((worker) => `${worker.id} ${worker.state}`).join(', ')})`,
        );
      const loads = active.map((worker) => `${worker.id} ${worker.sessionsHeld}+${this.assignedAfter(worker)}/${worker.capacity}`);
      throw new AppError('NO_WORKER_AVAILABLE', `Every session worker is at capacity (held+assigned/capacity: ${loads.join(', ')})`);
    }
    this.assignedSince.set(chosen.id, [...(this.assignedSince.get(chosen.id) ?? []), Date.now()]);
    return chosen.id;
  }

  /** Sessions sent to the worker after its last heartbeat (not yet in its sessionsHeld). */
  private assignedAfter(worker: WorkerInfo): number {
    const heartbeatAt = Date.parse(worker.heartbeatAt);
    const recent = (this.assignedSince.get(worker.id) ?? []).filter((at) => at > heartbeatAt);
    this.assignedSince.set(worker.id, recent);
    return recent.length;
  }
}

/** How long a session takes to come back on another worker after its holder died (lease TTL and reconnect). */
const TAKEOVER_RETRY_AFTER_SECONDS = 5;

/** How soon a session handed to another worker is connected there (a planned move takes about a reconnect). */
const MOVING_RETRY_AFTER_SECONDS = 1;

const moving = (sessionId: string, to: string): AppError =>
  new AppError('SESSION_NOT_READY', `Session ${sessionId} is moving to worker ${to}; retry in a moment`, {
    retryAfterSeconds: MOVING_RETRY_AFTER_SECONDS,
  });

const takingOver = (sessionId: string): AppError =>
  new AppError('SESSION_NOT_READY', `Session ${sessionId} is being taken over by another worker; retry in a few seconds`, {
    retryAfterSeconds: TAKEOVER_RETRY_AFTER_SECONDS,
  });
