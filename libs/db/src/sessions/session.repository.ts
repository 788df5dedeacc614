import { Injectable, Optional } from '@nestjs/common';
import type { SessionStatus } from '@app/contracts';
import { DatabasePool } from '../database-pool';
import { PrismaService } from '../prisma.service';
import type { RowCache } from '../row-changes/row.cache';
import { RowCaches } from '../row-changes/row-caches';
import type { NewSession, SessionFilter, SessionPlacementState, SessionRecord, StatusChange, StatusTransition } from './session.record';

const RECORD_FIELDS = {
  id: true,
  userId: true,
  clientUserId: true,
  name: true,
  status: true,
  phone: true,
  ownerWorkerId: true,
  autoConnect: true,
  lastError: true,
  aiEndpointUrl: true,
  aiApiKeyCipher: true,
  aiEnabled: true,
  webhookUrl: true,
  webhookEvents: true,
  lastConnectedAt: true,
  lastDisconnectedAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** Every worker runs it once per reconciliation (each second): a prepared statement, not Prisma. */
const WANTING_CONNECTION = 'SELECT id FROM sessions WHERE auto_connect ORDER BY id';

/** Statuses in which a session no longer holds its phone number. */
const INACTIVE_STATUSES = ['logged_out', 'auth_failed', 'error'] as const;

/** Sessions: the persisted half of a session's state (the live half is on its worker). */
@Injectable()
export class SessionRepository {
  private readonly cache: RowCache<SessionRecord | null> | null;

  constructor(
    private readonly prisma: PrismaService,
    private readonly db: DatabasePool,
    @Optional() private readonly caches?: RowCaches,
  ) {
    this.cache = caches?.cacheFor('sessions') ?? null;
  }

  /** Cached where the process caches rows (the gateway reads a session on every request). */
  findById(id: string): Promise<SessionRecord | null> {
    const read = () => this.prisma.session.findUnique({ where: { id }, select: RECORD_FIELDS });
    return this.cache ? this.cache.get(id, async () => ({ value: await read(), rows: [`sessions:${id}`] })) : read();
  }

  /** The owning user of each of these sessions that exists (absent ids are left out). */
  async ownersOf(ids: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.prisma.session.findMany({ where: { id: { in: [...ids] } }, select: { id: true, userId: true } });
    return new Map(rows.map((row) => [row.id, row.userId]));
  }

  list(filter: SessionFilter): Promise<SessionRecord[]> {
    return this.prisma.session.findMany({
      where: { userId: filter.userId, clientUserId: filter.clientUserId, status: filter.status },
      select: RECORD_FIELDS,
      orderBy: { createdAt: 'asc' },
    });
  }

  /** Creates the session, or updates name, client user and AI settings of an existing one (seed 003 upsert). */
  async upsert(session: NewSession): Promise<SessionRecord> {
    const settings = { name: session.name, clientUserId: session.clientUserId, aiEndpointUrl: session.aiEndpointUrl, aiApiKeyCipher: session.aiApiKeyCipher };
    const record = await this.prisma.session.upsert({
      where: { id: session.id },
      create: { id: session.id, userId: session.userId, ...settings, clientUserId: session.clientUserId ?? session.userId },
      update: settings,
      select: RECORD_FIELDS,
    });
    this.changed(session.id);
    return record;
  }

  /**
   * Applies a status transition and returns the previous status; null when the session is gone or,
   * when `epoch` is given, when that lease epoch is no longer current (a stale owner's report).
   */
  async changeStatus(id: string, change: StatusChange, epoch?: number): Promise<StatusTransition | null> {
    const transition = await this.prisma.$transaction(async (tx) => {
      const [current] = await tx.$queryRaw<{ status: SessionStatus; lease_epoch: bigint; user_id: string }[]>`
        SELECT status, lease_epoch, user_id FROM sessions WHERE id = ${id} FOR UPDATE`;
      if (!current || (epoch !== undefined && Number(current.lease_epoch) !== epoch)) return null;
      await tx.session.update({ where: { id }, data: change });
      return { previous: current.status, userId: current.user_id };
    });
    this.changed(id);
    return transition;
  }

  /** Ids of sessions that should be connected by some worker. */
  async listWantingConnection(): Promise<string[]> {
    return (await this.db.run<{ id: string }>('sessions_wanting_connection', WANTING_CONNECTION, [])).map((row) => row.id);
  }

  /** How many sessions should be connected by some worker. */
  countWantingConnection(): Promise<number> {
    return this.prisma.session.count({ where: { autoConnect: true } });
  }

  /** Status, last error and lease epoch of the given sessions (those that still exist). */
  async placementStates(ids: string[]): Promise<SessionPlacementState[]> {
    if (ids.length === 0) return [];
    const rows = await this.prisma.session.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, lastError: true, leaseEpoch: true } });
    return rows.map((row) => ({ id: row.id, status: row.status, lastError: row.lastError, epoch: Number(row.leaseEpoch) }));
  }

  /**
   * Records a new owner and returns its lease epoch (the fencing token of its writes) and the
   * owner recorded before (set only if that one never let go: it died); null when the session is
   * gone or no longer wants a connection.
   */
  async takeOwnership(id: string, workerId: string): Promise<{ epoch: number; previousOwner: string | null } | null> {
    const [row] = await this.prisma.$queryRaw<{ lease_epoch: bigint; previous_owner: string | null }[]>`
      WITH previous AS (SELECT owner_worker_id FROM sessions WHERE id = ${id} FOR UPDATE)
      UPDATE sessions SET lease_epoch = lease_epoch + 1, owner_worker_id = ${workerId}, updated_at = now()
      WHERE id = ${id} AND auto_connect
      RETURNING lease_epoch, (SELECT owner_worker_id FROM previous) AS previous_owner`;
    this.changed(id);
    return row ? { epoch: Number(row.lease_epoch), previousOwner: row.previous_owner } : null;
  }

  /** Whether `epoch` is still the session's current lease epoch. */
  async holdsEpoch(id: string, epoch: number): Promise<boolean> {
    const row = await this.prisma.session.findUnique({ where: { id }, select: { leaseEpoch: true } });
    return row !== null && Number(row.leaseEpoch) === epoch;
  }

  /** Clears the owner if it is still this epoch's (hand-over, stop). */
  async releaseOwnership(id: string, epoch: number): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE sessions SET owner_worker_id = NULL WHERE id = ${id} AND lease_epoch = ${epoch}`;
    this.changed(id);
  }

  async setAutoConnect(id: string, autoConnect: boolean): Promise<void> {
    await this.prisma.session.updateMany({ where: { id }, data: { autoConnect } });
    this.changed(id);
  }

  /**
   * Records the phone a session linked to, unless another active session already holds that
   * phone (one phone, one session); returns the id of that other session on conflict. An advisory
   * lock on the phone makes two simultaneous links of one number decide one after the other.
   */
  async claimPhone(id: string, phone: string): Promise<{ conflictWith: string | null }> {
    const claim = await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`phone:${phone}`}))`;
      const other = await tx.session.findFirst({
        where: { phone, id: { not: id }, status: { notIn: [...INACTIVE_STATUSES] } },
        select: { id: true },
      });
      if (other) return { conflictWith: other.id };
      await tx.session.update({ where: { id }, data: { phone } });
      return { conflictWith: null };
    });
    this.changed(id);
    return claim;
  }

  /** Sessions not connected since before `cutoff` (never connected ones count from creation). */
  async listInactiveSince(cutoff: Date, userId?: string): Promise<SessionRecord[]> {
    return this.prisma.session.findMany({
      where: {
        userId,
        status: { not: 'connected' },
        OR: [{ lastDisconnectedAt: { lt: cutoff } }, { lastDisconnectedAt: null, createdAt: { lt: cutoff } }],
      },
      select: RECORD_FIELDS,
    });
  }

  async updateApiKey(id: string, aiApiKeyCipher: string | null): Promise<SessionRecord> {
    const record = await this.prisma.session.update({ where: { id }, data: { aiApiKeyCipher }, select: RECORD_FIELDS });
    this.changed(id);
    return record;
  }

  /** Another session of any user that is linked to this phone and not logged out. */
  findActiveByPhone(phone: string, exceptSessionId?: string): Promise<SessionRecord | null> {
    return this.prisma.session.findFirst({
      where: { phone, id: exceptSessionId ? { not: exceptSessionId } : undefined, status: { notIn: [...INACTIVE_STATUSES] } },
      select: RECORD_FIELDS,
    });
  }

  /** Deletes the session and, by cascade, its auth state, tokens and history; false when absent. */
  async delete(id: string): Promise<boolean> {
    const { count } = await this.prisma.session.deleteMany({ where: { id } });
    this.changed(id);
    return count > 0;
  }

  /** Drops this process's cached copy at once (other processes hear of it through the row-change feed). */
  private changed(id: string): void {
    this.caches?.changed('sessions', id);
  }
}
