import { Injectable } from '@nestjs/common';
import { DatabasePool } from '../database-pool';
import { PrismaService } from '../prisma.service';

/** Status code of a record whose request is still running (no HTTP answer has status 0). */
const IN_PROGRESS = 0;

export type IdempotencyClaim =
  /** The caller owns the key now; `claimedAt` identifies this claim in complete() and release(). */
  | { outcome: 'claimed'; claimedAt: Date }
  | { outcome: 'in-progress'; requestHash: string }
  | { outcome: 'completed'; requestHash: string; statusCode: number; responseBody: unknown };

export interface ClaimTimes {
  /** Answers stored before this are expired: the key is free again. */
  expiredBefore: Date;
  /** Claims taken before this whose request never finished are presumed dead. */
  staleBefore: Date;
}

/**
 * Takes the key in one statement: a new key is inserted as a claim; an expired answer, or a dead
 * claim of the same request, is taken over; otherwise the row as it stands comes back.
 */
const CLAIM = `
WITH claimed AS (
  INSERT INTO idempotency_records (scope, key, request_hash, status_code, response_body, created_at)
  VALUES ($1, $2, $3, 0, 'null'::jsonb, $4)
  ON CONFLICT (scope, key) DO UPDATE
    SET request_hash = EXCLUDED.request_hash, status_code = 0, response_body = 'null'::jsonb, created_at = EXCLUDED.created_at
    WHERE idempotency_records.created_at < $5
       OR (idempotency_records.status_code = 0 AND idempotency_records.request_hash = $3 AND idempotency_records.created_at < $6)
  RETURNING 1)
SELECT EXISTS (SELECT 1 FROM claimed) AS claimed, r.request_hash, r.status_code, r.response_body
FROM (SELECT 1) AS one LEFT JOIN idempotency_records r ON r.scope = $1 AND r.key = $2`;

const COMPLETE = `
UPDATE idempotency_records SET status_code = $4, response_body = $5::jsonb
WHERE scope = $1 AND key = $2 AND status_code = 0 AND created_at = $3`;

const RELEASE = `DELETE FROM idempotency_records WHERE scope = $1 AND key = $2 AND status_code = 0 AND created_at = $3`;

/**
 * Answers to requests made with an Idempotency-Key. A row is first a claim (status 0) taken by
 * an atomic insert, so of two concurrent requests with one key exactly one runs; it then holds
 * the answer to replay, or is deleted when the request failed so the key can be used again. Every
 * keyed send passes here twice, so these statements run on pg directly.
 */
@Injectable()
export class IdempotencyRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly db: DatabasePool,
  ) {}

  async claim(scope: string, key: string, requestHash: string, times: ClaimTimes): Promise<IdempotencyClaim> {
    // A concurrent release can delete the row between its conflict and our read; then try again.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const claimedAt = new Date();
      const [row] = await this.db.run<{ claimed: boolean; request_hash: string | null; status_code: number | null; response_body: unknown }>(
        'idempotency_claim',
        CLAIM,
        [scope, key, requestHash, claimedAt, times.expiredBefore, times.staleBefore],
      );
      if (row?.claimed) return { outcome: 'claimed', claimedAt };
      if (!row || row.request_hash === null || row.status_code === null) continue;
      if (row.status_code === IN_PROGRESS) return { outcome: 'in-progress', requestHash: row.request_hash };
      return { outcome: 'completed', requestHash: row.request_hash, statusCode: row.status_code, responseBody: row.response_body };
    }
    throw new Error(`idempotency key ${key} kept changing hands`);
  }

  /** Stores the answer of a claim; false when the claim was lost (taken over as dead). */
  async complete(scope: string, key: string, claimedAt: Date, statusCode: number, responseBody: unknown): Promise<boolean> {
    const body = JSON.stringify(responseBody === undefined ? null : responseBody);
    const { rowCount } = await this.db.query({ name: 'idempotency_complete', text: COMPLETE, values: [scope, key, claimedAt, statusCode, body] });
    return rowCount === 1;
  }

  /** Gives a claim up (its request failed), so the key can be used again. */
  async release(scope: string, key: string, claimedAt: Date): Promise<void> {
    await this.db.query({ name: 'idempotency_release', text: RELEASE, values: [scope, key, claimedAt] });
  }

  /** Deletes every record created before `olderThan` (finished or not); for the scheduler. */
  async purgeExpired(olderThan: Date): Promise<number> {
    const deleted = await this.prisma.idempotencyRecord.deleteMany({ where: { createdAt: { lt: olderThan } } });
    return deleted.count;
  }
}
