import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Queue } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import type { Gauge } from 'prom-client';
import { SchedulerConfig } from '@app/config';
import { QUEUES } from '@app/contracts';
import { METRICS } from '@app/observability';

export const REPORTED_JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

/** Keeps `queue_jobs{queue,state}` current for the queues the scheduler works on. */
@Injectable()
export class QueueDepthReporter implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private readonly queues: Queue[];

  constructor(
    @InjectQueue(QUEUES.bulkJobs) bulkJobs: Queue,
    @InjectQueue(QUEUES.scheduledMessages) scheduledMessages: Queue,
    @InjectQueue(QUEUES.maintenance) maintenance: Queue,
    @InjectMetric(METRICS.queueJobs.name) private readonly gauge: Gauge<string>,
    private readonly config: SchedulerConfig,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(QueueDepthReporter.name);
    this.queues = [bulkJobs, scheduledMessages, maintenance];
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.config.QUEUE_METRICS_INTERVAL_MS);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    try {
      for (const queue of this.queues) {
        const counts = await queue.getJobCounts(...REPORTED_JOB_STATES);
        for (const state of REPORTED_JOB_STATES) this.gauge.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'queue depths not refreshed');
    }
  }
}
