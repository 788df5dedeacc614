import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { SchedulerConfig } from '@app/config';
import { JOBS, QUEUES, SCHEDULE_PICKUP_LEAD_MS, type SendScheduledMessageJob } from '@app/contracts';
import { ScheduleRepository } from '@app/db';
import { ensureQueued } from '../delivery/send-queues';
import { PeriodicSweeper } from '../sweeping/periodic.sweeper';

const PAGE_SIZE = 500;

/**
 * Makes sure every pending schedule that is due, or falls due before the sweep after next, has its
 * BullMQ job. Only soon-due ones are looked at, so a sweep stays cheap however many schedules
 * wait; each becomes soon-due in time.
 */
@Injectable()
export class ScheduleSweeper extends PeriodicSweeper {
  constructor(
    private readonly schedules: ScheduleRepository,
    @InjectQueue(QUEUES.scheduledMessages) private readonly queue: Queue,
    config: SchedulerConfig,
    logger: PinoLogger,
  ) {
    super(config, logger, {
      queued: 'queued due schedules that had no BullMQ job',
      failed: 'schedule sweep failed; trying again at the next one',
    });
    logger.setContext(ScheduleSweeper.name);
  }

  protected async queueMissing(): Promise<number> {
    const horizon = new Date(Date.now() + SCHEDULE_PICKUP_LEAD_MS + 2 * this.config.SCHEDULER_SWEEP_INTERVAL_MS);
    let queued = 0;
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const due = await this.schedules.pendingDueBy(horizon, PAGE_SIZE, offset);
      for (const { id, sendAt } of due) {
        const data: SendScheduledMessageJob = { scheduleId: id };
        if (await ensureQueued(this.queue, JOBS.sendScheduledMessage, id, data, sendAt.getTime() - SCHEDULE_PICKUP_LEAD_MS - Date.now())) queued += 1;
      }
      if (due.length < PAGE_SIZE) break;
    }
    return queued;
  }
}
