import { Injectable } from '@nestjs/common';
import { DatabasePool } from '../database-pool';

/** One key write: `json` is the stored value as JSON text, null deletes the key. */
export interface AuthKeyWrite {
  type: string;
  id: string;
  json: string | null;
}

/** The key writes of one session's holder, fenced by its lease epoch. */
export interface SessionKeyWrites {
  sessionId: string;
  epoch: number;
  writes: AuthKeyWrite[];
}

/** A write from a worker whose lease epoch is no longer the session's: it lost ownership. */
export class StaleLeaseError extends Error {
  constructor(sessionId: string, epoch: number) {
    super(`Lease epoch ${epoch} of session ${sessionId} is no longer current`);
    this.name = 'StaleLeaseError';
  }
}

/**
 * The sessions of a batch whose epoch is still their lease, locked FOR SHARE: a concurrent lease
 * takeover waits until the writes commit, and one that committed first leaves its session out.
 */
const LEASES = `
  SELECT s.id, s.lease_epoch FROM sessions s
  JOIN (SELECT DISTINCT session_id, epoch FROM w) e ON s.id = e.session_id AND s.lease_epoch = e.epoch
  FOR SHARE OF s`;

/** Upserts and deletes of many sessions in one statement; returns the sessions whose writes applied. */
const WRITE_KEYS = `
WITH w AS (
  SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[]) AS w(session_id, epoch, type, key_id, value)
),
lease AS MATERIALIZED (${LEASES}),
upserted AS (
  INSERT INTO auth_keys (session_id, type, key_id, value, updated_at)
  SELECT w.session_id, w.type, w.key_id, w.value::jsonb, now()
  FROM w JOIN lease l ON l.id = w.session_id AND l.lease_epoch = w.epoch
  WHERE w.value IS NOT NULL
  ON CONFLICT (session_id, type, key_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now()),
deleted AS (
  DELETE FROM auth_keys k USING w, lease l
  WHERE w.value IS NULL AND l.id = w.session_id AND l.lease_epoch = w.epoch
    AND k.session_id = w.session_id AND k.type = w.type AND k.key_id = w.key_id)
SELECT id, lease_epoch FROM lease`;

const SAVE_CREDS = `
WITH lease AS MATERIALIZED (SELECT 1 FROM sessions WHERE id = $1 AND lease_epoch = $2 FOR SHARE)
INSERT INTO auth_creds (session_id, creds, updated_at)
SELECT $1, $3::jsonb, now() FROM lease
ON CONFLICT (session_id) DO UPDATE SET creds = EXCLUDED.creds, updated_at = now()`;

/**
 * Baileys auth state (creds and signal keys) in PostgreSQL, so any worker can resume any session.
 * Values cross this boundary as JSON text: the worker encodes and decodes them once, in the form
 * Baileys needs. Every write carries the writer's lease epoch and is refused unless it is still
 * the session's current one: the fencing token that stops a worker which lost its lease from
 * corrupting state.
 */
@Injectable()
export class AuthStateRepository {
  constructor(private readonly db: DatabasePool) {}

  async loadCreds(sessionId: string): Promise<string | null> {
    const [row] = await this.db.run<{ creds: string }>('auth_load_creds', 'SELECT creds::text AS creds FROM auth_creds WHERE session_id = $1', [sessionId]);
    return row?.creds ?? null;
  }

  async saveCreds(sessionId: string, epoch: number, json: string): Promise<void> {
    const { rowCount } = await this.db.query({ name: 'auth_save_creds', text: SAVE_CREDS, values: [sessionId, epoch, json] });
    if (rowCount === 0) throw new StaleLeaseError(sessionId, epoch);
  }

  /** The stored JSON text of the keys that exist. */
  async getKeys(sessionId: string, type: string, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.run<{ key_id: string; value: string }>(
      'auth_get_keys',
      'SELECT key_id, value::text AS value FROM auth_keys WHERE session_id = $1 AND type = $2 AND key_id = ANY($3::text[])',
      [sessionId, type, ids],
    );
    return new Map(rows.map((row) => [row.key_id, row.value]));
  }

  /**
   * Applies the key writes of many sessions in one statement (group commit). Each session's writes
   * apply only while its epoch is current; returns the entries that were refused. Within one
   * session a key is written at most once per statement: the last write wins.
   */
  async writeKeys(batch: SessionKeyWrites[]): Promise<SessionKeyWrites[]> {
    const last = new Map<string, { sessionId: string; epoch: number; write: AuthKeyWrite }>();
    for (const { sessionId, epoch, writes } of batch) {
      for (const write of writes) {
        const slot = `${sessionId}\u0000${epoch}\u0000${write.type}\u0000${write.id}`;
        last.delete(slot);
        last.set(slot, { sessionId, epoch, write });
      }
    }
    if (last.size === 0) return [];
    const rows = [...last.values()];
    const applied = await this.db.run<{ id: string; lease_epoch: string }>('auth_write_keys', WRITE_KEYS, [
      rows.map((row) => row.sessionId),
      rows.map((row) => row.epoch),
      rows.map((row) => row.write.type),
      rows.map((row) => row.write.id),
      rows.map((row) => row.write.json),
    ]);
    const current = new Set(applied.map((row) => `${row.id}\u0000${row.lease_epoch}`));
    return batch.filter((entry) => entry.writes.length > 0 && !current.has(`${entry.sessionId}\u0000${entry.epoch}`));
  }

  /** Removes all auth state of a session (logout, wipe): the next connect needs a new link. */
  async clear(sessionId: string): Promise<void> {
    await this.db.query({
      name: 'auth_clear',
      text: 'WITH keys AS (DELETE FROM auth_keys WHERE session_id = $1) DELETE FROM auth_creds WHERE session_id = $1',
      values: [sessionId],
    });
  }
}
