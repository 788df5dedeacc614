import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { PinoLogger } from 'nestjs-pino';
import type { Counter, Gauge } from 'prom-client';
import { SessionWorkerConfig } from '@app/config';
import { AppError } from '@app/contracts';
import { SessionRepository } from '@app/db';
import { METRICS } from '@app/observability';
import { SessionLeaseRepository, type SessionLease } from '@app/redis';
import { WorkerIdentity } from '../registry/worker-identity';
import type { SessionHolder } from './held-session';
import type { SessionRuntime } from './session-runtime';
import { SessionRuntimeFactory } from './session-runtime.factory';

/**
 * The sessions this worker holds. A session is started only after its lease is taken and its
 * ownership epoch recorded; it is let go (socket closed, lease released) when it ends, when its
 * lease is lost, or when the worker hands everything over at shutdown.
 */
@Injectable()
export class SessionSupervisor implements SessionHolder {
  private readonly runtimes = new Map<string, SessionRuntime>();

  constructor(
    private readonly factory: SessionRuntimeFactory,
    private readonly leases: SessionLeaseRepository,
    private readonly sessions: SessionRepository,
    private readonly identity: WorkerIdentity,
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

  heldLeases(): SessionLease[] {
    return [...this.runtimes.values()].map((runtime) => runtime.lease);
  }

  /** The runtime of a session held here; a command for any other session must be routed again. */
  runtime(sessionId: string): SessionRuntime {
    const runtime = this.runtimes.get(sessionId);
    if (!runtime) throw new AppError('WORKER_NOT_OWNER', `Worker ${this.identity.id} does not hold session ${sessionId}`);
    return runtime;
  }

  /**
   * The runtime of a session, claiming it first when this worker was chosen to start it (the
   * gateway sends start-like commands for unheld sessions to the least loaded worker).
   */
  async runtimeOrClaim(sessionId: string): Promise<SessionRuntime> {
    if (this.runtimes.has(sessionId)) return this.runtime(sessionId);
    if (this.count >= this.config.WORKER_CAPACITY) {
      throw new AppError('WORKER_NOT_OWNER', `Worker ${this.identity.id} is at capacity (${this.config.WORKER_CAPACITY} sessions)`);
    }
    if (!(await this.sessions.findById(sessionId))) throw new AppError('SESSION_NOT_FOUND', `Session ${sessionId} does not exist`);
    await this.sessions.setAutoConnect(sessionId, true);
    await this.claim(sessionId);
    return this.runtime(sessionId);
  }

  /** Takes the session if its lease is free. */
  async claim(sessionId: string): Promise<boolean> {
    if (this.runtimes.has(sessionId)) return true;
    const lease = await this.leases.acquire(sessionId, this.identity.id, this.config.LEASE_TTL_MS);
    if (!lease) return false;
    const ownership = await this.sessions.takeOwnership(sessionId, this.identity.id);
    if (!ownership) {
      await this.leases.release(lease);
      return false;
    }
    const runtime = this.factory.create({ sessionId, lease, epoch: ownership.epoch }, this);
    this.runtimes.set(sessionId, runtime);
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

  /** Shutdown: close every socket, then free the leases so other workers take over at once. */
  async handOverAll(): Promise<number> {
    const runtimes = [...this.runtimes.entries()];
    for (const [, runtime] of runtimes) runtime.stop();
    await Promise.all(runtimes.map(([sessionId, runtime]) => this.let(sessionId, runtime, 'worker shutting down')));
    return runtimes.length;
  }

  refreshGauge(): void {
    const connected = [...this.runtimes.values()].filter((runtime) => runtime.connected).length;
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
    this.refreshGauge();
  }
}
