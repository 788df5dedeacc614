import type { PinoLogger } from 'nestjs-pino';
import type { Counter, Gauge, Histogram } from 'prom-client';
import type { SessionWorkerConfig } from '@app/config';
import type { LiveSessionState, SessionReservation, SessionStatus, WorkerInfo } from '@app/contracts';
import type { SessionPlacementState, SessionRecord, SessionRepository } from '@app/db';
import type { SessionLease, SessionLeaseRepository, WorkerRegistryRepository } from '@app/redis';
import { WorkerHeartbeatService } from '../../apps/session-worker/src/registry/worker-heartbeat.service';
import { WorkerIdentity } from '../../apps/session-worker/src/registry/worker-identity';
import { WorkerStateService } from '../../apps/session-worker/src/registry/worker-state';
import type { HeldSession, SessionHolder } from '../../apps/session-worker/src/sessions/held-session';
import type { SessionRuntime } from '../../apps/session-worker/src/sessions/session-runtime';
import type { SessionRuntimeFactory } from '../../apps/session-worker/src/sessions/session-runtime.factory';
import { SessionSupervisor } from '../../apps/session-worker/src/sessions/session-supervisor.service';

/**
 * In-memory stand-ins for the session worker's stores and metrics, for unit specs of its placement
 * classes: they keep only the state those classes read and write. The real statements are covered
 * against PostgreSQL and Redis by libs/db and libs/redis.
 */

/** A fake that implements only the members the class under test calls, typed as the real thing. */
export function partial<T>(fake: Partial<T>): T {
  return fake as T;
}

export const silentLogger = partial<PinoLogger>({
  setContext: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});

/** A metric that keeps what was recorded last, and sums what was counted, per label set. */
export class MemoryMetric {
  readonly values = new Map<string, number>();
  readonly observed: number[] = [];

  inc(labels: Record<string, string> = {}, value = 1): void {
    const key = JSON.stringify(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + value);
  }

  set(labelsOrValue: Record<string, string> | number, value?: number): void {
    if (typeof labelsOrValue === 'number') this.values.set('{}', labelsOrValue);
    else this.values.set(JSON.stringify(labelsOrValue), value!);
  }

  observe(_labels: Record<string, string>, value: number): void {
    this.observed.push(value);
  }

  value(labels: Record<string, string> = {}): number | undefined {
    return this.values.get(JSON.stringify(labels));
  }

  asCounter(): Counter<string> {
    return this as unknown as Counter<string>;
  }

  asGauge(): Gauge<string> {
    return this as unknown as Gauge<string>;
  }

  asHistogram(): Histogram<string> {
    return this as unknown as Histogram<string>;
  }
}

/** Session leases as Redis keeps them: one holder per session, renewed and released only with its token. */
export class MemoryLeases {
  readonly held = new Map<string, SessionLease>();
  /** The leases of each renewal, in order. */
  readonly renewals: SessionLease[][] = [];
  /** Set to make every call fail (Redis unreachable). */
  down: Error | null = null;
  private tokens = 0;

  async acquire(sessionId: string, workerId: string): Promise<SessionLease | null> {
    this.check();
    if (this.held.has(sessionId)) return null;
    const lease = { sessionId, workerId, token: `${workerId}:${(this.tokens += 1)}` };
    this.held.set(sessionId, lease);
    return lease;
  }

  async renewAll(leases: SessionLease[]): Promise<string[]> {
    this.check();
    this.renewals.push(leases);
    return leases.filter((lease) => !this.holds(lease)).map((lease) => lease.sessionId);
  }

  async release(lease: SessionLease): Promise<boolean> {
    this.check();
    if (!this.holds(lease)) return false;
    this.held.delete(lease.sessionId);
    return true;
  }

  async ownersOf(sessionIds: string[]): Promise<Map<string, string | null>> {
    this.check();
    return new Map(sessionIds.map((id) => [id, this.held.get(id)?.workerId ?? null]));
  }

  /** Another worker holds the session now (its lease expired here and was taken there). */
  takenBy(sessionId: string, workerId: string): void {
    this.held.set(sessionId, { sessionId, workerId, token: `${workerId}:elsewhere` });
  }

  private holds(lease: SessionLease): boolean {
    return this.held.get(lease.sessionId)?.token === lease.token;
  }

  private check(): void {
    if (this.down) throw this.down;
  }
}

export interface SessionRow {
  id: string;
  autoConnect: boolean;
  owner: string | null;
  epoch: number;
  status: SessionStatus;
  lastError: string | null;
}

/** The sessions table as placement sees it: who wants a connection, who owns what under which epoch. */
export class MemorySessions {
  readonly rows = new Map<string, SessionRow>();
  /** Set to make takeOwnership fail (the database too busy, say). */
  ownershipFailure: Error | null = null;
  /** takeOwnership waits for this when set. */
  ownershipGate: Promise<void> | null = null;

  add(id: string, fields: Partial<SessionRow> = {}): this {
    this.rows.set(id, { id, autoConnect: true, owner: null, epoch: 0, status: 'disconnected', lastError: null, ...fields });
    return this;
  }

  async findById(id: string): Promise<SessionRecord | null> {
    const row = this.rows.get(id);
    return row ? partial<SessionRecord>({ id: row.id, autoConnect: row.autoConnect }) : null;
  }

  async setAutoConnect(id: string, autoConnect: boolean): Promise<void> {
    const row = this.rows.get(id);
    if (row) row.autoConnect = autoConnect;
  }

  async listWantingConnection(): Promise<string[]> {
    return [...this.rows.values()].filter((row) => row.autoConnect).map((row) => row.id);
  }

  async placementStates(ids: string[]): Promise<SessionPlacementState[]> {
    return ids.flatMap((id) => {
      const row = this.rows.get(id);
      return row ? [{ id, status: row.status, lastError: row.lastError, epoch: row.epoch }] : [];
    });
  }

  async takeOwnership(id: string, workerId: string): Promise<{ epoch: number; previousOwner: string | null } | null> {
    await this.ownershipGate;
    if (this.ownershipFailure) throw this.ownershipFailure;
    const row = this.rows.get(id);
    if (!row?.autoConnect) return null;
    const previousOwner = row.owner;
    row.epoch += 1;
    row.owner = workerId;
    return { epoch: row.epoch, previousOwner };
  }

  async releaseOwnership(id: string, epoch: number): Promise<void> {
    const row = this.rows.get(id);
    if (row?.epoch === epoch) row.owner = null;
  }
}

/** Planned hand-overs as Redis keeps them: a reservation per session, settled only by the receiver it names. */
export class MemoryMoves {
  readonly reservations = new Map<string, SessionReservation>();
  /** Each settle, as `session→worker`. */
  readonly settled: string[] = [];

  async reservationsOf(sessionIds: string[]): Promise<Map<string, SessionReservation | null>> {
    return new Map(sessionIds.map((id) => [id, this.reservations.get(id) ?? null]));
  }

  async reservationOf(sessionId: string): Promise<SessionReservation | null> {
    return this.reservations.get(sessionId) ?? null;
  }

  async settle(sessionId: string, workerId: string): Promise<void> {
    this.settled.push(`${sessionId}→${workerId}`);
    if (this.reservations.get(sessionId)?.to === workerId) this.reservations.delete(sessionId);
  }
}

/** The worker registry: the other live workers, and this worker's heartbeats. */
export class MemoryRegistry {
  readonly beats: WorkerInfo[] = [];

  constructor(public live: WorkerInfo[] = []) {}

  async listLive(): Promise<WorkerInfo[]> {
    return this.live;
  }

  async heartbeat(info: WorkerInfo): Promise<void> {
    this.beats.push(info);
  }
}

export function workerInfo(id: string, fields: Partial<WorkerInfo> = {}): WorkerInfo {
  const at = new Date(0).toISOString();
  return { id, host: 'host', pid: 1, sessionsHeld: 0, capacity: 10, state: 'active', movesInFlight: 0, startedAt: at, heartbeatAt: at, ...fields };
}

/** A held session as the supervisor drives it: started, stopped, asked whether it is connected and quiet. */
export class FakeRuntime {
  starts = 0;
  stops = 0;
  connected = false;
  quiet = true;
  outboxIdle = true;
  status: SessionStatus = 'connecting';
  /** start() waits for the gate, then fails with this when set. */
  startFailure: Error | null = null;
  startGate: Promise<void> | null = null;

  constructor(
    readonly session: HeldSession,
    readonly holder: SessionHolder,
  ) {}

  get sessionId(): string {
    return this.session.sessionId;
  }
  get lease(): SessionLease {
    return this.session.lease;
  }
  get epoch(): number {
    return this.session.epoch;
  }

  async start(): Promise<void> {
    this.starts += 1;
    await this.startGate;
    if (this.startFailure) throw this.startFailure;
  }

  stop(): void {
    this.stops += 1;
  }

  state(): LiveSessionState {
    return {
      sessionId: this.sessionId,
      workerId: this.session.lease.workerId,
      status: this.status,
      connected: this.connected,
      qr: null,
      qrUpdatedAt: null,
      phone: null,
      since: '',
    };
  }
}

class FakeRuntimeFactory {
  readonly made: FakeRuntime[] = [];
  /** Applied to the next runtime made. */
  next: Partial<Pick<FakeRuntime, 'startFailure' | 'startGate'>> = {};

  create(session: HeldSession, holder: SessionHolder): SessionRuntime {
    const runtime = Object.assign(new FakeRuntime(session, holder), this.next);
    this.next = {};
    this.made.push(runtime);
    return partial<SessionRuntime>(runtime);
  }

  last(): FakeRuntime {
    return this.made.at(-1)!;
  }

  of(sessionId: string): FakeRuntime | undefined {
    return this.made.findLast((runtime) => runtime.sessionId === sessionId);
  }
}

/**
 * One worker's placement state over the in-memory stores: a real SessionSupervisor (holding fake
 * runtimes), WorkerStateService and WorkerHeartbeatService. Workers built over the same stores
 * compete for the same sessions.
 */
export function fakeWorker(
  options: { id?: string; config?: Partial<SessionWorkerConfig>; leases?: MemoryLeases; sessions?: MemorySessions; registry?: MemoryRegistry } = {},
) {
  const id = options.id ?? 'w1';
  const leases = options.leases ?? new MemoryLeases();
  const sessions = options.sessions ?? new MemorySessions();
  const registry = options.registry ?? new MemoryRegistry();
  const config = { WORKER_CAPACITY: 10, LEASE_TTL_MS: 30_000, RESTORE_CONCURRENCY: 4, RECONCILE_INTERVAL_MS: 10_000, ...options.config } as SessionWorkerConfig;
  const factory = new FakeRuntimeFactory();
  const identity = new WorkerIdentity(id, 'host', 1, new Date(0));
  const state = new WorkerStateService(identity, new MemoryMetric().asGauge());
  const metrics = { active: new MemoryMetric(), takeovers: new MemoryMetric() };
  const supervisor = new SessionSupervisor(
    partial<SessionRuntimeFactory>(factory),
    partial<SessionLeaseRepository>(leases),
    partial<SessionRepository>(sessions),
    identity,
    state,
    config,
    silentLogger,
    metrics.active.asGauge(),
    metrics.takeovers.asCounter(),
  );
  const heartbeat = new WorkerHeartbeatService(identity, supervisor, state, partial<WorkerRegistryRepository>(registry), config, silentLogger);
  return { id, leases, sessions, registry, config, factory, identity, state, metrics, supervisor, heartbeat };
}
