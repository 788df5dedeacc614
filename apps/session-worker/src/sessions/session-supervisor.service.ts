import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { PinoLogger } from 'nestjs-pino';
import type { Counter, Gauge } from 'prom-client';
import { SessionWorkerConfig } from '@app/config';
import { AppError, type SessionStatus } from '@app/contracts';
import { SessionRepository } from '@app/db';
import { METRICS } from '@app/observability';
import { SessionLeaseRepository, type SessionLease } from '@app/redis';
import type { MoveCandidate } from '../placement/fair-share';
import { waitUntil } from '../placement/wait-until';
import { WorkerIdentity } from '../registry/worker-identity';
import { WorkerStateService } from '../registry/worker-state';
import type { SessionHolder } from './held-session';
import type { SessionRuntime } from './session-runtime';
import { SessionRuntimeFactory } from './session-runtime.factory';

/** How long a session being handed over may take, after its socket closed, to finish writes already on their way. */
const HAND_OVER_SETTLE_MS = 2_000;

/** Retry a send this soon when it found its session moving to another worker. */
const MOVING_RETRY_AFTER_SECONDS = 1;

/** A session arriving by a planned hand-over: when, and whom to tell once it is held (before it connects). */
export interface Arrival {
  at: number;
  held(): void;
}

/** What placement knows of a held session besides its runtime. */
interface Tenure {
  /** When it arrived here by a planned hand-over (rebalancing leaves it alone for a while). */
  arrivedAt: number | null;
  /** Since when it has had no open connection here (null while connected). */
  disconnectedSince: number | null;
}

/**
 * The sessions this worker holds. A session is started only after its lease is taken and its
 * ownership epoch recorded; it is let go (socket closed, lease released) when it ends, when its
 * lease is lost, when it is handed to another worker (a planned move: sends stop first, the one in
 * flight finishes), or when the worker hands everything over at shutdown.
 */
@Injectable()
export class SessionSupervisor implements SessionHolder {
  private readonly runtimes = new Map<string, SessionRuntime>();
  private readonly tenures = new Map<string, Tenure>();
  /** Sessions being handed over: they take no new sends. */
  private readonly moving = new Set<string>();
  /** Leases taken by claims that are still recording the ownership (renewed like held ones). */
  private readonly claiming = new Map<string, SessionLease>();
  private readonly claims = new Map<string, Promise<boolean>>();

  constructor(
    private readonly factory: SessionRuntimeFactory,
    private readonly leases: SessionLeaseRepository,
    private readonly sessions: SessionRepository,
    private readonly identity: WorkerIdentity,
    private readonly state: WorkerStateService,
    private readonly config: SessionWorkerConfig,
    private readonly logger: PinoLogger,
    @InjectMetric(METRICS.sessionsActive.name) private readonly active: Gauge<string>,
    @InjectMetric(METRICS.leaseTakeovers.name) private readonly takeovers: Counter<string>,
  ) {
    logger.setContext(SessionSupervisor.name);
  }

  holds(sessionId: string): boolean {
    return this.runtimes.has(sessionId);
  }

  get count(): number {
    return this.runtimes.size;
  }

  heldSessionIds(): string[] {
    return [...this.runtimes.keys()];
  }

  runtimeIfHeld(sessionId: string): SessionRuntime | undefined {
    return this.runtimes.get(sessionId);
  }

  heldRuntimes(): SessionRuntime[] {
    return [...this.runtimes.values()];
  }

  /** Leases to renew: those of held sessions and those taken by claims still recording their ownership. */
  heldLeases(): SessionLease[] {
    return [...[...this.runtimes.values()].map((runtime) => runtime.lease), ...this.claiming.values()];
  }

  /** The runtime of a session held here; a command for any other session must be routed again. */
  runtime(sessionId: string): SessionRuntime {
    const runtime = this.runtimes.get(sessionId);
    if (!runtime) throw new AppError('WORKER_NOT_OWNER', `Worker ${this.identity.id} does not hold session ${sessionId}`);
    return runtime;
  }

  /**
   * The runtime of a session that takes sends: one being handed to another worker answers
   * SESSION_NOT_READY with a short Retry-After (clients retry; producers that must not lose work
   * queue the message for the new owner).
   */
  runtimeForSend(sessionId: string): SessionRuntime {
    const runtime = this.runtime(sessionId);
    if (this.moving.has(sessionId)) {
      throw new AppError('SESSION_NOT_READY', `Session ${sessionId} is moving to another worker; retry shortly`, {
        status: runtime.state().status,
        retryAfterSeconds: MOVING_RETRY_AFTER_SECONDS,
      });
    }
    return runtime;
  }

  /**
   * The runtime of a session, claiming it first when this worker was chosen to start it (the
   * gateway sends start-like commands for unheld sessions to the least loaded active worker).
   */
  async runtimeOrClaim(sessionId: string): Promise<SessionRuntime> {
    if (this.runtimes.has(sessionId)) return this.runtime(sessionId);
    if (!this.state.active) {
      throw new AppError('WORKER_NOT_OWNER', `Worker ${this.identity.id} is ${this.state.current} and takes no sessions`);
    }
    if (this.count >= this.config.WORKER_CAPACITY) {
      throw new AppError('WORKER_NOT_OWNER', `Worker ${this.identity.id} is at capacity (${this.config.WORKER_CAPACITY} sessions)`);
    }
    if (!(await this.sessions.findById(sessionId))) throw new AppError('SESSION_NOT_FOUND', `Session ${sessionId} does not exist`);
    await this.sessions.setAutoConnect(sessionId, true);
    await this.claim(sessionId);
    return this.runtime(sessionId);
  }

  /**
   * Takes the session if its lease is free; `arrival` marks one handed over to this worker. A
   * command and a reconciliation claiming the same session at once share one claim.
   */
  claim(sessionId: string, arrival: Arrival | null = null): Promise<boolean> {
    if (this.runtimes.has(sessionId)) return Promise.resolve(true);
    const pending = this.claims.get(sessionId);
    if (pending) return pending;
    const claim = this.claimOnce(sessionId, arrival).finally(() => this.claims.delete(sessionId));
    this.claims.set(sessionId, claim);
    return claim;
  }

  private async claimOnce(sessionId: string, arrival: Arrival | null): Promise<boolean> {
    const lease = await this.leases.acquire(sessionId, this.identity.id, this.config.LEASE_TTL_MS);
    if (!lease) return false;
    // Recording the ownership can take a while on a busy (or just started) worker: the lease is
    // renewed meanwhile, and freed at once if the recording fails.
    this.claiming.set(sessionId, lease);
    let ownership: Awaited<ReturnType<SessionRepository['takeOwnership']>>;
    try {
      ownership = await this.sessions.takeOwnership(sessionId, this.identity.id);
    } catch (error) {
      await this.leases.release(lease).catch(() => false);
      throw error;
    } finally {
      this.claiming.delete(sessionId);
    }
    if (!ownership) {
      await this.leases.release(lease);
      return false;
    }
    const runtime = this.factory.create({ sessionId, lease, epoch: ownership.epoch }, this);
    this.runtimes.set(sessionId, runtime);
    this.tenures.set(sessionId, { arrivedAt: arrival?.at ?? null, disconnectedSince: Date.now() });
    // Counted as held from here on; connecting (below) can take seconds on a busy worker.
    arrival?.held();
    if (ownership.previousOwner && ownership.previousOwner !== this.identity.id) {
      this.takeovers.inc({ worker: this.identity.id });
      this.logger.info({ sessionId, from: ownership.previousOwner }, 'took over an orphaned session');
    }
    try {
      await runtime.start();
    } catch (error) {
      // A start that failed (the database too busy, say) must not keep the lease: the next
      // reconciliation, here or on another worker, tries again.
      runtime.stop();
      await this.let(sessionId, runtime, `start failed: ${(error as Error).message}`);
      throw error;
    }
    this.refreshGauge();
    return true;
  }

  /** Leases found lost on renewal: stop at once, another worker may already be connecting. */
  lose(sessionIds: string[]): void {
    for (const sessionId of sessionIds) {
      const runtime = this.runtimes.get(sessionId);
      if (!runtime) continue;
      this.logger.warn({ sessionId }, 'lease lost; closing the connection');
      runtime.stop();
      this.forget(sessionId);
    }
  }

  /** A write found the ownership epoch stale: another worker owns the session now. */
  leaseLost(sessionId: string, reason: string): void {
    const runtime = this.runtimes.get(sessionId);
    if (!runtime) return;
    runtime.stop();
    void this.let(sessionId, runtime, `lease lost: ${reason}`);
  }

  /** The session ended by itself (logged out, failed for good, wiped): let it go. */
  ended(sessionId: string, reason: string): void {
    const runtime = this.runtimes.get(sessionId);
    if (runtime) void this.let(sessionId, runtime, reason);
  }

  /** Stops a session here without touching its link (the gateway's release command, delete). */
  async release(sessionId: string): Promise<boolean> {
    const runtime = this.runtimes.get(sessionId);
    if (!runtime) return false;
    runtime.stop();
    await this.let(sessionId, runtime, 'released by request');
    return true;
  }

  /**
   * Starts a planned hand-over: the session takes no new sends from now on. Null when it is not
   * held here (anymore) or already moving.
   */
  beginHandOver(sessionId: string): SessionRuntime | null {
    const runtime = this.runtimes.get(sessionId);
    if (!runtime || this.moving.has(sessionId)) return null;
    this.moving.add(sessionId);
    return runtime;
  }

  /**
   * Ends a planned hand-over once the send in flight finished (or the wait for it ended): closes
   * the socket, waits briefly for writes already on their way, then lets the lease go. False when
   * the session ended or was lost meanwhile (nothing to hand over).
   */
  async completeHandOver(sessionId: string, runtime: SessionRuntime, reason: string): Promise<boolean> {
    if (this.runtimes.get(sessionId) !== runtime) {
      this.moving.delete(sessionId);
      return false;
    }
    runtime.stop();
    await waitUntil(() => runtime.quiet, HAND_OVER_SETTLE_MS);
    await this.let(sessionId, runtime, `handed over (${reason})`);
    return true;
  }

  /** Gives up a hand-over that could not start (the reservation was not written): sends resume. */
  abandonHandOver(sessionId: string): void {
    this.moving.delete(sessionId);
  }

  get movesInFlight(): number {
    return this.moving.size;
  }

  /** Held sessions not moving already, as rebalancing chooses among them. */
  moveCandidates(): MoveCandidate[] {
    return [...this.runtimes.entries()]
      .filter(([sessionId]) => !this.moving.has(sessionId))
      .map(([sessionId, runtime]) => ({
        sessionId,
        connected: runtime.connected,
        idle: runtime.outboxIdle && runtime.quiet,
        arrivedAt: this.tenures.get(sessionId)?.arrivedAt ?? null,
      }));
  }

  /** Shutdown: close every socket, then free the leases so other workers take over at once. */
  async handOverAll(): Promise<number> {
    const runtimes = [...this.runtimes.entries()];
    for (const [, runtime] of runtimes) runtime.stop();
    await waitUntil(() => runtimes.every(([, runtime]) => runtime.quiet), HAND_OVER_SETTLE_MS);
    await Promise.all(runtimes.map(([sessionId, runtime]) => this.let(sessionId, runtime, 'worker shutting down')));
    return runtimes.length;
  }

  /** Held sessions by their current status. */
  statusCounts(): Map<SessionStatus, number> {
    const counts = new Map<SessionStatus, number>();
    for (const runtime of this.runtimes.values()) {
      const status = runtime.state().status;
      counts.set(status, (counts.get(status) ?? 0) + 1);
    }
    return counts;
  }

  /**
   * Longest time one held session that should be linked has gone without an open connection here
   * (sessions waiting for a QR scan or a pairing code are not counted), in seconds.
   */
  longestDisconnectedSeconds(now = Date.now()): number {
    this.refreshGauge();
    let longest = 0;
    for (const [sessionId, runtime] of this.runtimes) {
      const since = this.tenures.get(sessionId)?.disconnectedSince;
      if (since === null || since === undefined || UNLINKED_STATUSES.includes(runtime.state().status)) continue;
      longest = Math.max(longest, (now - since) / 1000);
    }
    return longest;
  }

  /** Updates sessions_active and when each held session was last seen without a connection. */
  refreshGauge(): void {
    let connected = 0;
    const now = Date.now();
    for (const [sessionId, runtime] of this.runtimes) {
      const tenure = this.tenures.get(sessionId);
      if (runtime.connected) connected += 1;
      if (!tenure) continue;
      if (runtime.connected) tenure.disconnectedSince = null;
      else tenure.disconnectedSince ??= now;
    }
    this.active.set({ worker: this.identity.id }, connected);
  }

  private async let(sessionId: string, runtime: SessionRuntime, reason: string): Promise<void> {
    if (this.runtimes.get(sessionId) !== runtime) return;
    this.forget(sessionId);
    await Promise.all([this.leases.release(runtime.lease), this.sessions.releaseOwnership(sessionId, runtime.epoch)]);
    this.logger.info({ sessionId, reason }, 'session released');
  }

  private forget(sessionId: string): void {
    this.runtimes.delete(sessionId);
    this.tenures.delete(sessionId);
    this.moving.delete(sessionId);
    this.refreshGauge();
  }
}

/** Statuses of a session that is not linked yet: it waits for someone to scan a QR or enter a code. */
const UNLINKED_STATUSES: readonly SessionStatus[] = ['awaiting_qr', 'pairing'];
