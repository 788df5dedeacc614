import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { SchedulerConfig } from '@app/config';
import { JOBS, QUEUES, type CleanupTempFilesJob, type PurgeIdempotencyRecordsJob, type PurgeUnreferencedMediaJob } from '@app/contracts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * Declares the repeatable maintenance jobs. Upserting by a fixed scheduler id keeps exactly one
 * schedule however many scheduler replicas start, and picks up changed intervals on restart.
 */
@Injectable()
export class MaintenanceScheduleService implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
    private readonly config: SchedulerConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const data: CleanupTempFilesJob = { maxAgeMs: Math.round(this.config.TEMP_FILE_MAX_AGE_HOURS * HOUR_MS) };
    await this.queue.upsertJobScheduler(
      JOBS.cleanupTempFiles,
      { every: Math.round(this.config.TEMP_CLEANUP_INTERVAL_MINUTES * MINUTE_MS) },
      { name: JOBS.cleanupTempFiles, data, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    const purgeEvery = { every: Math.round(this.config.PURGE_INTERVAL_MINUTES * MINUTE_MS) };
    const idempotency: PurgeIdempotencyRecordsJob = { maxAgeMs: Math.round(this.config.IDEMPOTENCY_TTL_HOURS * HOUR_MS) };
    await this.queue.upsertJobScheduler(JOBS.purgeIdempotencyRecords, purgeEvery, {
      name: JOBS.purgeIdempotencyRecords,
      data: idempotency,
      opts: { removeOnComplete: 100, removeOnFail: 100 },
    });
    const media: PurgeUnreferencedMediaJob = { maxAgeMs: Math.round(this.config.MEDIA_RETENTION_HOURS * HOUR_MS) };
    await this.queue.upsertJobScheduler(JOBS.purgeUnreferencedMedia, purgeEvery, {
      name: JOBS.purgeUnreferencedMedia,
      data: media,
      opts: { removeOnComplete: 100, removeOnFail: 100 },
    });
  }
}
