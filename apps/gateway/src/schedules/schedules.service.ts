import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { AppError, JOBS, QUEUES, SCHEDULE_PICKUP_LEAD_MS, SEND_JOB_OPTIONS, type SendScheduledMessageJob } from '@app/contracts';
import { ScheduleRepository, type ScheduleRecord } from '@app/db';
import { newWhatsAppMessageId } from '@app/sending';
import { invalidFields, MessageContentBuilder } from '../jobs/message-content.builder';
import type { CreateScheduleDto, ListSchedulesQueryDto, ScheduleDto } from './dto/schedule.dto';
import { DEFAULT_SCHEDULE_TIMEZONE, resolveScheduleTime, wallClock } from './schedule-time';

/**
 * Scheduled messages (seed 002), persisted: the row is the promise. A delayed BullMQ job (id =
 * schedule id) wakes the scheduler at the due time; the scheduler's sweep queues any due schedule
 * whose job is missing, so every accepted schedule runs once.
 */
@Injectable()
export class SchedulesService {
  constructor(
    private readonly schedules: ScheduleRepository,
    private readonly builder: MessageContentBuilder,
    @InjectQueue(QUEUES.scheduledMessages) private readonly queue: Queue,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(SchedulesService.name);
  }

  async create(sessionId: string, body: CreateScheduleDto, idempotencyKey: string | undefined, traceId: string): Promise<ScheduleDto> {
    const timezone = body.timezone ?? DEFAULT_SCHEDULE_TIMEZONE;
    const sendAt = resolveScheduleTime(body.scheduleTime, timezone);
    const problems = this.builder.problemsOf(body, '');
    if (problems.length > 0) throw invalidFields(problems);
    const content = await this.builder.content(sessionId, body, '', new Map());
    const { record, created } = await this.schedules.create({ sessionId, toJid: this.builder.recipient(body.to), content, sendAt, timezone, idempotencyKey });
    if (created) await this.enqueue(record, traceId);
    return view(record);
  }

  async list(sessionId: string, query: ListSchedulesQueryDto): Promise<ScheduleDto[]> {
    const records = await this.schedules.list(sessionId, { status: query.status, limit: query.limit ?? 50, offset: query.offset ?? 0 });
    return records.map(view);
  }

  async get(sessionId: string, scheduleId: string): Promise<ScheduleDto> {
    const record = await this.schedules.findInSession(sessionId, scheduleId);
    if (!record) throw notFound(scheduleId);
    return view(record);
  }

  /** Cancels a pending schedule; 409 once its message is being sent or was sent (or it failed). */
  async cancel(sessionId: string, scheduleId: string): Promise<ScheduleDto> {
    const result = await this.schedules.cancel(sessionId, scheduleId, newWhatsAppMessageId());
    switch (result.outcome) {
      case 'not-found':
        throw notFound(scheduleId);
      case 'too-late':
        throw new AppError(
          'CONFLICT',
          `Schedule ${scheduleId} cannot be cancelled: ${result.record.status === 'pending' ? 'its message is being sent' : `it is ${result.record.status}`}`,
          {
            status: result.record.status,
          },
        );
      case 'cancelled':
        // The job finds the schedule cancelled anyway; removing it just keeps the queue tidy.
        await this.queue.remove(scheduleId).catch(() => undefined);
        return view(result.record);
    }
  }

  /** Queues the wake-up; when Redis refuses, the scheduler's sweep queues it before it is due. */
  private async enqueue(record: ScheduleRecord, traceId: string): Promise<void> {
    const data: SendScheduledMessageJob = { scheduleId: record.id, traceId };
    const delay = Math.max(0, record.sendAt.getTime() - SCHEDULE_PICKUP_LEAD_MS - Date.now());
    try {
      await this.queue.add(JOBS.sendScheduledMessage, data, { ...SEND_JOB_OPTIONS, jobId: record.id, delay });
    } catch (error) {
      this.logger.warn({ err: error, scheduleId: record.id }, 'schedule stored but not queued; the scheduler sweep will queue it');
    }
  }
}

function view(record: ScheduleRecord): ScheduleDto {
  const content = record.content;
  return {
    id: record.id,
    sessionId: record.sessionId,
    to: record.toJid,
    kind: record.kind,
    ...(content.kind === 'text' ? { message: content.text } : { caption: content.caption, fileName: content.fileName }),
    scheduleTime: wallClock(record.sendAt, record.timezone),
    timezone: record.timezone,
    sendAt: record.sendAt.toISOString(),
    status: record.status,
    error: record.error,
    sentMessage: record.message,
    createdAt: record.createdAt.toISOString(),
  };
}

const notFound = (scheduleId: string) => new AppError('SCHEDULE_NOT_FOUND', `Schedule ${scheduleId} does not exist`);
