import { Processor, WorkerHost } from '@nestjs/bullmq';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import type { Counter } from 'prom-client';
import { SchedulerConfig } from '@app/config';
import { JOBS, QUEUES, type CleanupTempFilesJob, type PurgeIdempotencyRecordsJob, type PurgeUnreferencedMediaJob } from '@app/contracts';
import { METRICS } from '@app/observability';
import { TempFilesCleaner, type CleanupResult } from '../cleanup/temp-files.cleaner';
import { StoredDataPurger } from './stored-data.purger';

type MaintenanceResult = CleanupResult | { removed: number };

/** Runs the scheduler's maintenance jobs; one BullMQ worker, so replicas never run a job twice. */
@Processor(QUEUES.maintenance)
export class MaintenanceProcessor extends WorkerHost {
  constructor(
    private readonly cleaner: TempFilesCleaner,
    private readonly purger: StoredDataPurger,
    private readonly config: SchedulerConfig,
    private readonly logger: PinoLogger,
    @InjectMetric(METRICS.tempFilesRemoved.name) private readonly removedFiles: Counter<string>,
    @InjectMetric(METRICS.jobsProcessed.name) private readonly processed: Counter<string>,
  ) {
    super();
    logger.setContext(MaintenanceProcessor.name);
  }

  async process(job: Job): Promise<MaintenanceResult> {
    try {
      const result = await this.run(job);
      this.processed.inc({ queue: QUEUES.maintenance, job: job.name, outcome: 'completed' });
      return result;
    } catch (error) {
      this.processed.inc({ queue: QUEUES.maintenance, job: job.name, outcome: 'failed' });
      throw error;
    }
  }

  private async run(job: Job): Promise<MaintenanceResult> {
    switch (job.name) {
      case JOBS.cleanupTempFiles: {
        const { maxAgeMs } = job.data as CleanupTempFilesJob;
        const result = await this.cleaner.clean(this.config.TEMP_DIR, maxAgeMs);
        this.removedFiles.inc(result.removed);
        this.logger.info({ ...result, directory: this.config.TEMP_DIR }, 'temp files cleaned');
        return result;
      }
      case JOBS.purgeIdempotencyRecords: {
        const removed = await this.purger.purgeIdempotencyRecords((job.data as PurgeIdempotencyRecordsJob).maxAgeMs);
        this.logger.info({ removed }, 'expired idempotency records purged');
        return { removed };
      }
      case JOBS.purgeUnreferencedMedia: {
        const removed = await this.purger.purgeUnreferencedMedia((job.data as PurgeUnreferencedMediaJob).maxAgeMs);
        this.logger.info({ removed }, 'unreferenced media purged');
        return { removed };
      }
      default:
        throw new Error(`Unknown maintenance job ${job.name}`);
    }
  }
}
