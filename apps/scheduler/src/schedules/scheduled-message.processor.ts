import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { DelayedError, type Job } from 'bullmq';
import type { Counter } from 'prom-client';
import { SchedulerConfig } from '@app/config';
import { QUEUES, SCHEDULE_PICKUP_LEAD_MS, type SendScheduledMessageJob } from '@app/contracts';
import { ScheduleRepository } from '@app/db';
import { METRICS } from '@app/observability';
import { SCHEDULE_WORKER_OPTIONS } from '../delivery/send-queues';
import { ScheduledMessageSender, type ScheduleOutcome } from './scheduled-message.sender';

/** Sends scheduled messages whose delayed job (id = schedule id) fell due. */
@Processor(QUEUES.scheduledMessages, SCHEDULE_WORKER_OPTIONS)
export class ScheduledMessageProcessor extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly stopping = new AbortController();

  constructor(
    private readonly sender: ScheduledMessageSender,
    private readonly schedules: ScheduleRepository,
    private readonly config: SchedulerConfig,
    @InjectMetric(METRICS.jobsProcessed.name) private readonly processed: Counter<string>,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.SCHEDULE_CONCURRENCY;
  }

  /**
   * On shutdown, messages falling due within the lead are still sent on time (the close waits for
   * them); waits for delivery after that are handed back to the queue.
   */
  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    await this.worker.close();
  }

  async process(job: Job<SendScheduledMessageJob>, token?: string): Promise<ScheduleOutcome> {
    const { scheduleId } = job.data;
    let outcome: ScheduleOutcome;
    try {
      outcome = await this.sender.send(scheduleId, job.data.traceId ?? `schedule:${scheduleId}`, this.stopping.signal);
    } catch (error) {
      this.processed.inc({ queue: QUEUES.scheduledMessages, job: job.name, outcome: 'error' });
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        await this.schedules.settle(scheduleId, 'failed', `The schedule could not run: ${(error as Error).message}`).catch(() => undefined);
      }
      throw error;
    }
    if (outcome === 'stopped' || typeof outcome === 'object') {
      const at = outcome === 'stopped' ? Date.now() : outcome.tooEarly.getTime() - SCHEDULE_PICKUP_LEAD_MS;
      await job.moveToDelayed(at, token);
      throw new DelayedError();
    }
    this.processed.inc({ queue: QUEUES.scheduledMessages, job: job.name, outcome });
    return outcome;
  }
}
