import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/client';
import { PrismaService } from '../prisma.service';

/** JSON-safe value of a credential or key (binary fields already encoded by the caller). */
export type AuthJson = string | number | boolean | { [key: string]: AuthJson | null } | (AuthJson | null)[];

export interface AuthKeyWrite {
  type: string;
  id: string;
  /** null deletes the key. */
  value: AuthJson | null;
}

/** A write from a worker whose lease epoch is no longer the session's: it lost ownership. */
export class StaleLeaseError extends Error {
  constructor(sessionId: string, epoch: number) {
    super(`Lease epoch ${epoch} of session ${sessionId} is no longer current`);
    this.name = 'StaleLeaseError';
  }
}

/**
 * Baileys auth state (creds and signal keys) in PostgreSQL, so any worker can resume any session.
 * Every write carries the writer's lease epoch and is refused unless it is still the session's
 * current one: the fencing token that stops a worker which lost its lease from corrupting state.
 */
@Injectable()
export class AuthStateRepository {
  constructor(private readonly prisma: PrismaService) {}

  async loadCreds(sessionId: string): Promise<unknown | null> {
    const row = await this.prisma.authCreds.findUnique({ where: { sessionId }, select: { creds: true } });
    return row?.creds ?? null;
  }

  async saveCreds(sessionId: string, epoch: number, creds: AuthJson): Promise<void> {
    const written = await this.prisma.$executeRaw`
      WITH lease AS MATERIALIZED (${leaseHeld(sessionId, epoch)})
      INSERT INTO auth_creds (session_id, creds, updated_at)
      SELECT ${sessionId}, ${JSON.stringify(creds)}::jsonb, now() FROM lease
      ON CONFLICT (session_id) DO UPDATE SET creds = EXCLUDED.creds, updated_at = now()`;
    if (written === 0) throw new StaleLeaseError(sessionId, epoch);
  }

  async getKeys(sessionId: string, type: string, ids: string[]): Promise<Map<string, unknown>> {
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.authKey.findMany({
      where: { sessionId, type, keyId: { in: ids } },
      select: { keyId: true, value: true },
    });
    return new Map(rows.map((row) => [row.keyId, row.value]));
  }

  /**
   * Writes a batch of keys (Baileys hands over batches per transaction) in one statement: upserts
   * and deletes happen together, and only while `epoch` is still the session's lease.
   */
  async writeKeys(sessionId: string, epoch: number, writes: AuthKeyWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const upserts = writes.filter((write) => write.value !== null);
    const deletes = writes.filter((write) => write.value === null);
    const [row] = await this.prisma.$queryRaw<{ current: boolean }[]>`
      WITH lease AS MATERIALIZED (${leaseHeld(sessionId, epoch)}),
      upserted AS (
        INSERT INTO auth_keys (session_id, type, key_id, value, updated_at)
        SELECT ${sessionId}, t.type, t.key_id, t.value, now()
        FROM unnest(${upserts.map((w) => w.type)}::text[], ${upserts.map((w) => w.id)}::text[],
                    ${upserts.map((w) => JSON.stringify(w.value))}::jsonb[]) AS t(type, key_id, value)
        CROSS JOIN lease
        ON CONFLICT (session_id, type, key_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now()),
      deleted AS (
        DELETE FROM auth_keys k
        USING unnest(${deletes.map((w) => w.type)}::text[], ${deletes.map((w) => w.id)}::text[]) AS d(type, key_id), lease
        WHERE k.session_id = ${sessionId} AND k.type = d.type AND k.key_id = d.key_id)
      SELECT EXISTS (SELECT 1 FROM lease) AS current`;
    if (!row?.current) throw new StaleLeaseError(sessionId, epoch);
  }

  /** Removes all auth state of a session (logout, wipe): the next connect needs a new link. */
  async clear(sessionId: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.authKey.deleteMany({ where: { sessionId } }),
      this.prisma.authCreds.deleteMany({ where: { sessionId } }),
    ]);
  }

  async countRows(sessionId: string): Promise<{ creds: number; keys: number }> {
    const [creds, keys] = await Promise.all([
      this.prisma.authCreds.count({ where: { sessionId } }),
      this.prisma.authKey.count({ where: { sessionId } }),
    ]);
    return { creds, keys };
  }
}

/**
 * The session's row while `epoch` is its lease, for the fenced writes to join: FOR SHARE holds off a
 * concurrent lease takeover until the write commits, and a takeover that commits first makes it empty.
 */
const leaseHeld = (sessionId: string, epoch: number) => Prisma.sql`
  SELECT 1 FROM sessions WHERE id = ${sessionId} AND lease_epoch = ${epoch} FOR SHARE`;
