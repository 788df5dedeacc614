import type { PinoLogger } from 'nestjs-pino';
import type { Counter, Gauge, Histogram } from 'prom-client';
import type { SessionStatus } from '@app/contracts';
import type { SessionPlacementState, SessionRecord } from '@app/db';
import type { SessionLease } from '@app/redis';

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
