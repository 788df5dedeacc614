import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/client';
import { PrismaService } from '../prisma.service';
import { isUniqueViolation } from '../users/unique-violation';
import type { BulkItemOutcome, BulkJobFilter, BulkJobItem, BulkJobRecord, BulkJobStatus, CancelBulkJobResult, NewBulkJob } from './bulk-job.record';

/** Every column but the items, which only the runner needs. */
const RECORD_FIELDS = {
  id: true,
  sessionId: true,
  kind: true,
  status: true,
  total: true,
  currentIndex: true,
  successCount: true,
  errorCount: true,
  delayMs: true,
  idempotencyKey: true,
  error: true,
  createdAt: true,
  updatedAt: true,
  finishedAt: true,
} as const;

const UNFINISHED: BulkJobStatus[] = ['queued', 'processing'];

/**
 * Bulk send jobs (seed 002). A job holds its items; the scheduler puts them into the outbox one
 * at a time (idempotent by job and index) and records progress here, so a job resumes exactly
 * where it stood after any restart.
 */
@Injectable()
export class BulkJobRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates the job; one with the same idempotency key in the session is returned instead (`created: false`). */
  async create(job: NewBulkJob): Promise<{ record: BulkJobRecord; created: boolean }> {
    const existing = await this.byIdempotencyKey(job.sessionId, job.idempotencyKey);
    if (existing) return { record: existing, created: false };
    try {
      const record = await this.prisma.bulkJob.create({
        data: {
          sessionId: job.sessionId,
          kind: job.kind,
          total: job.items.length,
          items: job.items as unknown as Prisma.InputJsonValue,
          delayMs: job.delayMs,
          idempotencyKey: job.idempotencyKey ?? null,
          createdAt: job.acceptedAt,
        },
        select: RECORD_FIELDS,
      });
      return { record, created: true };
    } catch (error) {
      // A concurrent request with the same key won the insert.
      const winner = isUniqueViolation(error) ? await this.byIdempotencyKey(job.sessionId, job.idempotencyKey) : null;
      if (winner) return { record: winner, created: false };
      throw error;
    }
  }

  find(id: string): Promise<BulkJobRecord | null> {
    return this.prisma.bulkJob.findUnique({ where: { id }, select: RECORD_FIELDS });
  }

  findInSession(sessionId: string, id: string): Promise<BulkJobRecord | null> {
    return this.prisma.bulkJob.findFirst({ where: { id, sessionId }, select: RECORD_FIELDS });
  }

  /** The session's jobs, newest first. */
  list(sessionId: string, filter: BulkJobFilter): Promise<BulkJobRecord[]> {
    return this.prisma.bulkJob.findMany({
      where: { sessionId, status: filter.status },
      select: RECORD_FIELDS,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      skip: filter.offset,
      take: filter.limit,
    });
  }

  async items(id: string): Promise<BulkJobItem[]> {
    const row = await this.prisma.bulkJob.findUnique({ where: { id }, select: { items: true } });
    return (row?.items ?? []) as unknown as BulkJobItem[];
  }

  async status(id: string): Promise<BulkJobStatus | null> {
    const row = await this.prisma.bulkJob.findUnique({ where: { id }, select: { status: true } });
    return row?.status ?? null;
  }

  /** Marks the job as running; null when it is gone or already finished (cancelled before it started). */
  async start(id: string): Promise<BulkJobRecord | null> {
    await this.prisma.bulkJob.updateMany({ where: { id, status: 'queued' }, data: { status: 'processing' } });
    const record = await this.find(id);
    return record?.status === 'processing' ? record : null;
  }

  /**
   * Records the outcome of item `index` and moves on to the next. Only from `index`, so an item
   * run twice (a resumed job) is counted once; also after a cancel, which the item may have
   * raced (it was being sent when the cancel came). False when the item was counted already.
   */
  async advance(id: string, index: number, outcome: BulkItemOutcome): Promise<boolean> {
    const counter = outcome === 'success' ? { successCount: { increment: 1 } } : { errorCount: { increment: 1 } };
    const { count } = await this.prisma.bulkJob.updateMany({
      where: { id, currentIndex: index, status: { in: ['processing', 'cancelled'] } },
      data: { currentIndex: index + 1, ...counter },
    });
    return count === 1;
  }

  /** Ends a running (or not yet started) job; a cancelled one stays cancelled. */
  async finish(id: string, status: 'completed' | 'failed', error: string | null = null): Promise<void> {
    await this.prisma.bulkJob.updateMany({ where: { id, status: { in: UNFINISHED } }, data: { status, error, finishedAt: new Date() } });
  }

  /**
   * Cancels a job that has not finished: its messages still waiting in the outbox are cancelled,
   * and the item it is at gets a cancelled placeholder in the outbox, so a run that has not put
   * that item in yet finds it there (idempotent by job and index) and stops instead of sending it.
   * A message already being sent cannot be called back.
   */
  async cancel(sessionId: string, id: string, placeholderWaMessageId: string): Promise<CancelBulkJobResult> {
    return this.prisma.$transaction(async (tx) => {
      // NO KEY UPDATE: waits for progress updates and other cancels, but not for the outbox inserts
      // of this job's items (their foreign key check only needs KEY SHARE).
      const [row] = await tx.$queryRaw<{ status: BulkJobStatus; current_index: number; item: BulkJobItem | null }[]>`
        SELECT status::text AS status, current_index, items -> current_index AS item
        FROM bulk_jobs WHERE id = ${id} AND session_id = ${sessionId} FOR NO KEY UPDATE`;
      if (!row) return { outcome: 'not-found' };
      if (!UNFINISHED.includes(row.status)) {
        return { outcome: 'finished', record: await tx.bulkJob.findUniqueOrThrow({ where: { id }, select: RECORD_FIELDS }) };
      }
      const { count } = await tx.outboundMessage.updateMany({ where: { jobId: id, status: 'queued' }, data: { status: 'cancelled', retryAt: null } });
      if (row.item) {
        await tx.outboundMessage.createMany({
          data: [
            {
              sessionId,
              waMessageId: placeholderWaMessageId,
              toJid: row.item.to,
              kind: row.item.content.kind,
              content: row.item.content as unknown as Prisma.InputJsonValue,
              jobId: id,
              jobIndex: row.current_index,
              status: 'cancelled',
            },
          ],
          skipDuplicates: true,
        });
      }
      const record = await tx.bulkJob.update({ where: { id }, data: { status: 'cancelled', finishedAt: new Date() }, select: RECORD_FIELDS });
      return { outcome: 'cancelled', record, cancelledMessages: count };
    });
  }

  /** Jobs still to run or running that have not changed since `quietSince`, oldest first (for the scheduler's sweep). */
  async unfinished(quietSince: Date, limit: number): Promise<string[]> {
    const rows = await this.prisma.bulkJob.findMany({
      where: { status: { in: UNFINISHED }, updatedAt: { lt: quietSince } },
      select: { id: true },
      orderBy: { createdAt: 'asc' },
      take: limit,
    });
    return rows.map((row) => row.id);
  }

  /** Creation time of the oldest job still to run: its media must be kept. */
  async oldestUnfinishedCreatedAt(): Promise<Date | null> {
    const row = await this.prisma.bulkJob.findFirst({ where: { status: { in: UNFINISHED } }, select: { createdAt: true }, orderBy: { createdAt: 'asc' } });
    return row?.createdAt ?? null;
  }

  private async byIdempotencyKey(sessionId: string, key: string | null | undefined): Promise<BulkJobRecord | null> {
    if (!key) return null;
    return this.prisma.bulkJob.findUnique({ where: { sessionId_idempotencyKey: { sessionId, idempotencyKey: key } }, select: RECORD_FIELDS });
  }
}
