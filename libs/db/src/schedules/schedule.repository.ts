import { Injectable } from '@nestjs/common';
import type { OutboundContent } from '@app/contracts';
import type { Prisma } from '../generated/client';
import { PrismaService } from '../prisma.service';
import { isUniqueViolation } from '../users/unique-violation';
import type { CancelScheduleResult, NewSchedule, ScheduleFilter, ScheduleRecord, ScheduleStatus } from './schedule.record';

const SELECT = {
  id: true,
  sessionId: true,
  toJid: true,
  kind: true,
  content: true,
  sendAt: true,
  timezone: true,
  status: true,
  idempotencyKey: true,
  error: true,
  createdAt: true,
  updatedAt: true,
  outboundMessage: { select: { id: true, waMessageId: true, status: true } },
} as const;

type Row = Prisma.ScheduledMessageGetPayload<{ select: typeof SELECT }>;

const toRecord = ({ outboundMessage, content, ...row }: Row): ScheduleRecord => ({
  ...row,
  content: content as unknown as OutboundContent,
  message: outboundMessage,
});

/**
 * Scheduled messages (seed 002, persisted). When one falls due the scheduler puts its message into
 * the outbox (idempotent by schedule) and records the outcome here.
 */
@Injectable()
export class ScheduleRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates the schedule; one with the same idempotency key in the session is returned instead (`created: false`). */
  async create(schedule: NewSchedule): Promise<{ record: ScheduleRecord; created: boolean }> {
    const existing = await this.byIdempotencyKey(schedule.sessionId, schedule.idempotencyKey);
    if (existing) return { record: existing, created: false };
    try {
      const row = await this.prisma.scheduledMessage.create({
        data: {
          sessionId: schedule.sessionId,
          toJid: schedule.toJid,
          kind: schedule.content.kind,
          content: schedule.content as unknown as Prisma.InputJsonValue,
          sendAt: schedule.sendAt,
          timezone: schedule.timezone,
          idempotencyKey: schedule.idempotencyKey ?? null,
        },
        select: SELECT,
      });
      return { record: toRecord(row), created: true };
    } catch (error) {
      // A concurrent request with the same key won the insert.
      const winner = isUniqueViolation(error) ? await this.byIdempotencyKey(schedule.sessionId, schedule.idempotencyKey) : null;
      if (winner) return { record: winner, created: false };
      throw error;
    }
  }

  async find(id: string): Promise<ScheduleRecord | null> {
    const row = await this.prisma.scheduledMessage.findUnique({ where: { id }, select: SELECT });
    return row ? toRecord(row) : null;
  }

  async findInSession(sessionId: string, id: string): Promise<ScheduleRecord | null> {
    const row = await this.prisma.scheduledMessage.findFirst({ where: { id, sessionId }, select: SELECT });
    return row ? toRecord(row) : null;
  }

  /** The session's schedules, soonest first. */
  async list(sessionId: string, filter: ScheduleFilter): Promise<ScheduleRecord[]> {
    const rows = await this.prisma.scheduledMessage.findMany({
      where: { sessionId, status: filter.status },
      select: SELECT,
      orderBy: [{ sendAt: 'asc' }, { id: 'asc' }],
      skip: filter.offset,
      take: filter.limit,
    });
    return rows.map(toRecord);
  }

  /** Pending schedules due by `until`, soonest first (for the scheduler's sweep). */
  pendingDueBy(until: Date, limit: number, offset = 0): Promise<Array<{ id: string; sendAt: Date }>> {
    return this.prisma.scheduledMessage.findMany({
      where: { status: 'pending', sendAt: { lte: until } },
      select: { id: true, sendAt: true },
      orderBy: [{ sendAt: 'asc' }, { id: 'asc' }],
      skip: offset,
      take: limit,
    });
  }

  /** Records how a pending schedule ended; false when it was no longer pending (cancelled meanwhile). */
  async settle(id: string, status: Exclude<ScheduleStatus, 'pending'>, error: string | null = null): Promise<boolean> {
    const { count } = await this.prisma.scheduledMessage.updateMany({ where: { id, status: 'pending' }, data: { status, error } });
    return count === 1;
  }

  /**
   * Cancels a pending schedule unless its message is being sent or was sent. When the message is
   * not in the outbox yet, a cancelled placeholder takes its place there, so a scheduler that is
   * about to put it in finds it (idempotent by schedule) and sends nothing.
   */
  async cancel(sessionId: string, id: string, placeholderWaMessageId: string): Promise<CancelScheduleResult> {
    return this.prisma.$transaction(async (tx) => {
      // NO KEY UPDATE: serialises cancels without blocking the foreign key check of an outbox insert.
      const [row] = await tx.$queryRaw<{ status: ScheduleStatus }[]>`
        SELECT status::text AS status FROM scheduled_messages WHERE id = ${id} AND session_id = ${sessionId} FOR NO KEY UPDATE`;
      if (!row) return { outcome: 'not-found' };
      const current = async () => toRecord(await tx.scheduledMessage.findUniqueOrThrow({ where: { id }, select: SELECT }));
      if (row.status === 'cancelled') return { outcome: 'cancelled', record: await current() };
      if (row.status !== 'pending') return { outcome: 'too-late', record: await current() };
      const schedule = await current();
      const placed = await tx.outboundMessage.createMany({
        data: [
          {
            sessionId,
            waMessageId: placeholderWaMessageId,
            toJid: schedule.toJid,
            kind: schedule.kind,
            content: schedule.content as unknown as Prisma.InputJsonValue,
            scheduleId: id,
            status: 'cancelled',
          },
        ],
        skipDuplicates: true,
      });
      if (placed.count === 0) {
        // Its message is in the outbox already: it can be stopped only while it waits there.
        const stopped = await tx.outboundMessage.updateMany({
          where: { scheduleId: id, status: { in: ['queued', 'cancelled'] } },
          data: { status: 'cancelled', retryAt: null },
        });
        if (stopped.count === 0) return { outcome: 'too-late', record: schedule };
      }
      await tx.scheduledMessage.update({ where: { id }, data: { status: 'cancelled' } });
      return { outcome: 'cancelled', record: await current() };
    });
  }

  private async byIdempotencyKey(sessionId: string, key: string | null | undefined): Promise<ScheduleRecord | null> {
    if (!key) return null;
    const row = await this.prisma.scheduledMessage.findUnique({ where: { sessionId_idempotencyKey: { sessionId, idempotencyKey: key } }, select: SELECT });
    return row ? toRecord(row) : null;
  }
}
