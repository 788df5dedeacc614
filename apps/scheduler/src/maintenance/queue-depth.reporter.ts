import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Queue } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import type { Gauge } from 'prom-client';
import { SchedulerConfig } from '@app/config';
import { QUEUES } from '@app/contracts';
import { METRICS } from '@app/observability';

const REPORTED_JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

/**
 * Keeps `queue_jobs{queue,state}` current for every queue of the suite (any scheduler replica may
 * report them; dashboards take the max), so a backlog shows wherever its consumers run.
 */
@Injectable()
export class QueueDepthReporter implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private queues: Queue[] = [];

  constructor(
    private readonly moduleRef: ModuleRef,
    @InjectMetric(METRICS.queueJobs.name) private readonly gauge: Gauge<string>,
    private readonly config: SchedulerConfig,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(QueueDepthReporter.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    // Looked up once every provider exists (queues are built by async factories).
    this.queues = Object.values(QUEUES).map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
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
