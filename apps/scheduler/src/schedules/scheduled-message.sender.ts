import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { SchedulerConfig } from '@app/config';
import { HANDED_OVER, SCHEDULE_PICKUP_LEAD_MS } from '@app/contracts';
import { ScheduleRepository } from '@app/db';
import { newWhatsAppMessageId } from '@app/sending';
import { OutboxDelivery, sleep } from '../delivery/outbox-delivery.service';

/** A job may fire a little earlier than the lead says (clocks of gateway and scheduler, timer slack). */
const EARLY_TOLERANCE_MS = 1_000;

export type ScheduleOutcome = 'sent' | 'failed' | 'cancelled' | 'gone' | 'stopped' | { tooEarly: Date };

/**
 * Sends one scheduled message: waits for its exact time (the job fires SCHEDULE_PICKUP_LEAD_MS
 * early), puts it into the outbox (idempotent by schedule: a re-run never sends a second one),
 * has it delivered and records the outcome on the schedule.
 */
@Injectable()
export class ScheduledMessageSender {
  constructor(
    private readonly schedules: ScheduleRepository,
    private readonly delivery: OutboxDelivery,
    private readonly config: SchedulerConfig,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(ScheduledMessageSender.name);
  }

  /** `signal` (shutdown) does not interrupt the wait for the due time, only the wait for delivery afterwards. */
  async send(scheduleId: string, traceId: string, signal: AbortSignal): Promise<ScheduleOutcome> {
    const schedule = await this.schedules.find(scheduleId);
    if (!schedule || schedule.status !== 'pending') return 'gone';
    const dueIn = schedule.sendAt.getTime() - Date.now();
    if (dueIn > SCHEDULE_PICKUP_LEAD_MS + EARLY_TOLERANCE_MS) return { tooEarly: schedule.sendAt };
    if (dueIn > 0) await sleep(dueIn);
    const deadline = schedule.sendAt.getTime() + this.config.DELIVERY_SETTLE_TIMEOUT_MS;
    const accepted = await this.delivery.accept(
      schedule.sessionId,
      { waMessageId: newWhatsAppMessageId(), toJid: schedule.toJid, content: schedule.content, scheduleId, traceId },
      deadline,
      signal,
    );
    if (accepted === 'stopped') return 'stopped';
    if ('refused' in accepted) return this.settle(scheduleId, 'failed', accepted.refused);
    this.logger.info({ scheduleId, sessionId: schedule.sessionId, lateMs: Date.now() - schedule.sendAt.getTime(), traceId }, 'scheduled message due');
    const settled = await this.delivery.settle(schedule.sessionId, accepted.state, deadline, traceId, signal);
    if (settled === 'stopped') return 'stopped';
    const { status, error } = settled.state;
    if (HANDED_OVER.includes(status)) return this.settle(scheduleId, 'sent', null);
    if (status === 'cancelled') return this.settle(scheduleId, 'cancelled', null);
    return this.settle(scheduleId, 'failed', error ?? 'failed');
  }

  private async settle(scheduleId: string, status: 'sent' | 'failed' | 'cancelled', error: string | null): Promise<ScheduleOutcome> {
    await this.schedules.settle(scheduleId, status, error);
    return status;
  }
}
