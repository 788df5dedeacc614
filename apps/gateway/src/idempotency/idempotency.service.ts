import { Injectable } from '@nestjs/common';
import { SendingConfig } from '@app/config';
import { AppError } from '@app/contracts';
import { IdempotencyRepository } from '@app/db';

/** A key this request owns until it finishes or abandons it. */
export interface IdempotencyClaimHandle {
  scope: string;
  key: string;
  claimedAt: Date;
}

export type IdempotencyStart = { action: 'run'; claim: IdempotencyClaimHandle } | { action: 'replay'; statusCode: number; body: unknown };

/**
 * Idempotency-Key semantics (after the IETF httpapi draft): the first request with a key runs
 * and its answer is kept for IDEMPOTENCY_TTL_HOURS; the same request again gets that answer;
 * a different request with the key gets 422; a duplicate arriving while the first still runs
 * gets 409 at once (a retry a moment later gets the answer). Failed requests free the key.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly records: IdempotencyRepository,
    private readonly config: SendingConfig,
  ) {}

  async start(scope: string, key: string, requestHash: string): Promise<IdempotencyStart> {
    const now = Date.now();
    const claim = await this.records.claim(scope, key, requestHash, {
      expiredBefore: new Date(now - this.config.IDEMPOTENCY_TTL_HOURS * 3_600_000),
      staleBefore: new Date(now - this.config.IDEMPOTENCY_LOCK_TIMEOUT_MS),
    });
    if (claim.outcome === 'claimed') return { action: 'run', claim: { scope, key, claimedAt: claim.claimedAt } };
    if (claim.requestHash !== requestHash) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request', { idempotencyKey: key });
    }
    if (claim.outcome === 'in-progress') {
      throw new AppError('CONFLICT', 'A request with this Idempotency-Key is still being processed; retry shortly', {
        idempotencyKey: key,
        retryAfterSeconds: 1,
      });
    }
    const stored = claim.responseBody;
    return { action: 'replay', statusCode: claim.statusCode, body: typeof stored === 'string' ? (JSON.parse(stored) as unknown) : undefined };
  }

  /**
   * Keeps the answer for replays; false when the claim had been taken over as dead meanwhile.
   * The body is kept as its JSON text: jsonb reorders object keys, and a replay must be the same bytes.
   */
  finish(claim: IdempotencyClaimHandle, statusCode: number, body: unknown): Promise<boolean> {
    const text = body === undefined ? null : JSON.stringify(body);
    return this.records.complete(claim.scope, claim.key, claim.claimedAt, statusCode, text);
  }

  /** The request failed: nothing is kept, the key may be used again. */
  abandon(claim: IdempotencyClaimHandle): Promise<void> {
    return this.records.release(claim.scope, claim.key, claim.claimedAt);
  }
}
