import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { DelayedError, type Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import type { Counter } from 'prom-client';
import { SchedulerConfig } from '@app/config';
import { QUEUES, type RunBulkJob } from '@app/contracts';
import { BulkJobRepository } from '@app/db';
import { METRICS } from '@app/observability';
import { SEND_WORKER_OPTIONS } from '../delivery/send-queues';
import { BulkJobRunner, type BulkRunOutcome } from './bulk-job.runner';

/**
 * Runs bulk jobs from QUEUES.bulkJobs. The job's state is in PostgreSQL, so any run of it (a
 * retry, another scheduler after this one died, the same after a restart) resumes where it stood.
 */
@Processor(QUEUES.bulkJobs, SEND_WORKER_OPTIONS)
export class BulkJobProcessor extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly stopping = new AbortController();

  constructor(
    private readonly runner: BulkJobRunner,
    private readonly jobs: BulkJobRepository,
    private readonly config: SchedulerConfig,
    private readonly logger: PinoLogger,
    @InjectMetric(METRICS.jobsProcessed.name) private readonly processed: Counter<string>,
  ) {
    super();
    logger.setContext(BulkJobProcessor.name);
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.BULK_JOB_CONCURRENCY;
  }

  /** On shutdown, running jobs are handed back to the queue at their next safe point, not run to the end. */
  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    await this.worker.close();
  }

  async process(job: Job<RunBulkJob>, token?: string): Promise<BulkRunOutcome> {
    const { jobId } = job.data;
    const traceId = job.data.traceId ?? `bulk-job:${jobId}`;
    let outcome: BulkRunOutcome;
    try {
      outcome = await this.runner.run(jobId, { traceId, signal: this.stopping.signal, onProgress: (progress) => job.updateProgress({ ...progress }) });
    } catch (error) {
      this.processed.inc({ queue: QUEUES.bulkJobs, job: job.name, outcome: 'error' });
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        await this.jobs.finish(jobId, 'failed', `The job could not run: ${(error as Error).message}`).catch(() => undefined);
      }
      throw error;
    }
    if (outcome === 'stopped') {
      // Back to the queue at once: the next scheduler (or this one restarted) resumes the job.
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    this.processed.inc({ queue: QUEUES.bulkJobs, job: job.name, outcome });
    this.logger.info({ jobId, outcome, traceId }, 'bulk job finished');
    return outcome;
  }
}
