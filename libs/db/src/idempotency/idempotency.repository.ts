import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/client';
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
 * Answers to requests made with an Idempotency-Key. A row is first a claim (status 0) taken by
 * an atomic insert, so of two concurrent requests with one key exactly one runs; it then holds
 * the answer to replay, or is deleted when the request failed so the key can be used again.
 */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly prisma: PrismaService) {}

  async claim(scope: string, key: string, requestHash: string, times: ClaimTimes): Promise<IdempotencyClaim> {
    // A concurrent release can delete the row between the steps below; then try again.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const claimedAt = new Date();
      const claim = { requestHash, statusCode: IN_PROGRESS, responseBody: Prisma.JsonNull, createdAt: claimedAt };
      const inserted = await this.prisma.idempotencyRecord.createMany({ data: [{ scope, key, ...claim }], skipDuplicates: true });
      if (inserted.count === 1) return { outcome: 'claimed', claimedAt };
      // Take over an expired answer, or a dead claim of the same request.
      const takenOver = await this.prisma.idempotencyRecord.updateMany({
        where: {
          scope,
          key,
          OR: [
            { createdAt: { lt: times.expiredBefore } },
            { statusCode: IN_PROGRESS, requestHash, createdAt: { lt: times.staleBefore } },
          ],
        },
        data: claim,
      });
      if (takenOver.count === 1) return { outcome: 'claimed', claimedAt };
      const existing = await this.prisma.idempotencyRecord.findUnique({ where: { scope_key: { scope, key } } });
      if (!existing) continue;
      if (existing.statusCode === IN_PROGRESS) return { outcome: 'in-progress', requestHash: existing.requestHash };
      return { outcome: 'completed', requestHash: existing.requestHash, statusCode: existing.statusCode, responseBody: existing.responseBody };
    }
    throw new Error(`idempotency key ${key} kept changing hands`);
  }

  /** Stores the answer of a claim; false when the claim was lost (taken over as dead). */
  async complete(scope: string, key: string, claimedAt: Date, statusCode: number, responseBody: unknown): Promise<boolean> {
    const body = responseBody === undefined || responseBody === null ? Prisma.JsonNull : (responseBody as Prisma.InputJsonValue);
    const updated = await this.prisma.idempotencyRecord.updateMany({
      where: { scope, key, statusCode: IN_PROGRESS, createdAt: claimedAt },
      data: { statusCode, responseBody: body },
    });
    return updated.count === 1;
  }

  /** Gives a claim up (its request failed), so the key can be used again. */
  async release(scope: string, key: string, claimedAt: Date): Promise<void> {
    await this.prisma.idempotencyRecord.deleteMany({ where: { scope, key, statusCode: IN_PROGRESS, createdAt: claimedAt } });
  }

  /** Deletes every record created before `olderThan` (finished or not); for the scheduler. */
  async purgeExpired(olderThan: Date): Promise<number> {
    const deleted = await this.prisma.idempotencyRecord.deleteMany({ where: { createdAt: { lt: olderThan } } });
    return deleted.count;
  }
}
