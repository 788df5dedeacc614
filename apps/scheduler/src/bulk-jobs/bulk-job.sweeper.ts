import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { SchedulerConfig } from '@app/config';
import { JOBS, QUEUES, type RunBulkJob } from '@app/contracts';
import { BulkJobRepository } from '@app/db';
import { ensureQueued } from '../delivery/send-queues';
import { PeriodicSweeper } from '../sweeping/periodic.sweeper';

/** Most unfinished jobs looked at per sweep (oldest first). */
const SWEEP_LIMIT = 1_000;

/**
 * Queues unfinished bulk jobs that have no BullMQ job. Only jobs unchanged for two sweep intervals
 * are looked at: a job just accepted is being queued by the gateway, and a running one changes
 * with every item or has its BullMQ job anyway.
 */
@Injectable()
export class BulkJobSweeper extends PeriodicSweeper {
  constructor(
    private readonly jobs: BulkJobRepository,
    @InjectQueue(QUEUES.bulkJobs) private readonly queue: Queue,
    config: SchedulerConfig,
    logger: PinoLogger,
  ) {
    super(config, logger, {
      queued: 'queued bulk jobs that had no BullMQ job',
      failed: 'bulk job sweep failed; trying again at the next one',
    });
    logger.setContext(BulkJobSweeper.name);
  }

  protected async queueMissing(): Promise<number> {
    let queued = 0;
    const quietSince = new Date(Date.now() - 2 * this.config.SCHEDULER_SWEEP_INTERVAL_MS);
    for (const jobId of await this.jobs.unfinished(quietSince, SWEEP_LIMIT)) {
      const data: RunBulkJob = { jobId };
      if (await ensureQueued(this.queue, JOBS.runBulkJob, jobId, data, 0)) queued += 1;
    }
    return queued;
  }
}
