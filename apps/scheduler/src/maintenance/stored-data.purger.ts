import { Injectable } from '@nestjs/common';
import { BulkJobRepository, IdempotencyRepository, MediaRepository } from '@app/db';

const CLOCK_MARGIN_MS = 3_600_000;

/** Deletes stored data nobody needs any more: expired Idempotency-Key answers, media of sent messages. */
@Injectable()
export class StoredDataPurger {
  constructor(
    private readonly idempotency: IdempotencyRepository,
    private readonly media: MediaRepository,
    private readonly jobs: BulkJobRepository,
  ) {}

  /** Returns how many records it deleted. */
  purgeIdempotencyRecords(maxAgeMs: number, now = Date.now()): Promise<number> {
    return this.idempotency.purgeExpired(new Date(now - maxAgeMs));
  }

  /**
   * Deletes media older than `maxAgeMs` that no waiting message or schedule refers to. Items of a
   * bulk job are not in the outbox until their turn, so nothing newer than the oldest unfinished
   * job is deleted (its media were stored after it was accepted; the margin covers a gateway
   * clock ahead of the database's).
   */
  async purgeUnreferencedMedia(maxAgeMs: number, now = Date.now()): Promise<number> {
    const oldestJob = await this.jobs.oldestUnfinishedCreatedAt();
    const cutoff = Math.min(now - maxAgeMs, oldestJob ? oldestJob.getTime() - CLOCK_MARGIN_MS : Number.POSITIVE_INFINITY);
    return this.media.purgeUnreferenced(new Date(cutoff));
  }
}
