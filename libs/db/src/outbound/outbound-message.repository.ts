import { Injectable } from '@nestjs/common';
import { AppError, DELIVERY_STATUSES, type DeliveryStatus, type OutboundContent } from '@app/contracts';
import { Prisma } from '../generated/client';
import { PrismaService } from '../prisma.service';
import type { NewOutbound, OutboundCounts, OutboundRecord, OutboxStep } from './outbound-message.record';
import { fromSqlRow, type SqlRow } from './outbound-message.sql';

type Row = Prisma.OutboundMessageGetPayload<object>;

const toRecord = (row: Row): OutboundRecord => ({ ...row, content: row.content as unknown as OutboundContent });

const PENDING: DeliveryStatus[] = ['queued', 'sending'];

/**
 * The outbox: every accepted send, whatever route, job or schedule it came from. The worker that
 * owns a session drains its outbox in order; nothing is sent any other way, so an accepted
 * message is delivered or reported failed even when processes die in between.
 */
@Injectable()
export class OutboundMessageRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Accepts a message unless the session already has `queueLimit` unsent ones (RATE_LIMITED;
   * a limit of 0 means none).
   * One with the idempotency key, job item or schedule of an accepted message is not accepted
   * twice: the existing one comes back with `created: false`.
   */
  async enqueue(message: NewOutbound, queueLimit: number): Promise<{ record: OutboundRecord; created: boolean }> {
    const same = sameMessageFilter(message);
    // Nothing to count and nothing to look up: the lock and the transaction would guard nothing.
    if (queueLimit === 0 && same.length === 0) return { record: toRecord(await this.prisma.outboundMessage.create({ data: newRow(message) })), created: true };
    return this.prisma.$transaction(async (tx) => {
      // One accept at a time per session, so the count below cannot be raced past the limit.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`outbox:${message.sessionId}`}))`;
      const existing = same.length > 0 ? await tx.outboundMessage.findFirst({ where: { sessionId: message.sessionId, OR: same } }) : null;
      if (existing) return { record: toRecord(existing), created: false };
      if (queueLimit > 0) {
        const pending = await tx.outboundMessage.count({ where: { sessionId: message.sessionId, status: { in: PENDING } } });
        if (pending >= queueLimit) {
          throw new AppError('RATE_LIMITED', `Session ${message.sessionId} already has ${pending} messages waiting to be sent`, { queued: pending, limit: queueLimit });
        }
      }
      return { record: toRecord(await tx.outboundMessage.create({ data: newRow(message) })), created: true };
    });
  }

  async find(id: string): Promise<OutboundRecord | null> {
    const row = await this.prisma.outboundMessage.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
  }

  /**
   * One step of the session's drainer in one statement: records `sentId` (if any) as sent, then takes
   * the session's next message due (oldest first, skipping ones waiting for a retry), claiming it
   * for the holder of lease `epoch` when `claim` is set. The sent message is recorded whatever the
   * lease (it did go out); nothing is claimed unless `epoch` is still current (`leaseCurrent`).
   * With nothing due, `nextRetryAt` tells when the earliest waiting retry falls due.
   */
  async advance(sessionId: string, epoch: number, sentId: string | null, claim: boolean): Promise<OutboxStep> {
    const due = Prisma.sql`
      SELECT id FROM outbound_messages
      WHERE session_id = ${sessionId} AND status IN ('queued', 'sending') AND (retry_at IS NULL OR retry_at <= now())
        AND id <> ${sentId ?? ''} AND (SELECT current FROM lease)
      ORDER BY created_at, job_index LIMIT 1`;
    // The row lock makes a concurrent cancel either finish first (and the message is skipped) or wait.
    const next = claim
      ? Prisma.sql`UPDATE outbound_messages SET status = 'sending', attempts = attempts + 1, updated_at = now()
          WHERE id = (${due} FOR UPDATE) AND status IN ('queued', 'sending') RETURNING *`
      : Prisma.sql`SELECT * FROM outbound_messages WHERE id = (${due})`;
    const [row] = await this.prisma.$queryRaw<(SqlRow & { lease_current: boolean | null; next_retry_at: Date | null })[]>`
      WITH lease AS MATERIALIZED (SELECT lease_epoch = ${epoch} AS current FROM sessions WHERE id = ${sessionId}),
      sent AS (
        UPDATE outbound_messages SET status = 'sent', sent_at = now(), error = NULL, retry_at = NULL, updated_at = now()
        WHERE id = ${sentId ?? ''} AND status = 'sending'),
      next AS (${next})
      SELECT (SELECT current FROM lease) AS lease_current, next.*,
        CASE WHEN next.id IS NULL THEN (
          SELECT min(retry_at) FROM outbound_messages WHERE session_id = ${sessionId} AND status = 'queued' AND retry_at IS NOT NULL
        ) END AS next_retry_at
      FROM (SELECT 1) AS one LEFT JOIN next ON true`;
    return {
      leaseCurrent: row?.lease_current === true,
      next: row?.id ? fromSqlRow(row) : null,
      nextRetryAt: row?.next_retry_at ?? null,
    };
  }

  /**
   * Marks the message as being sent by the holder of lease `epoch`; false when it was settled
   * meanwhile or the epoch is no longer current (another worker owns the session now).
   */
  async claimForSending(id: string, epoch: number): Promise<boolean> {
    const changed = await this.prisma.$executeRaw`
      UPDATE outbound_messages o SET status = 'sending', attempts = attempts + 1, updated_at = now()
      FROM sessions s
      WHERE o.id = ${id} AND o.status IN ('queued', 'sending') AND s.id = o.session_id AND s.lease_epoch = ${epoch}`;
    return changed === 1;
  }

  async markSent(id: string): Promise<void> {
    await this.prisma.outboundMessage.updateMany({
      where: { id, status: 'sending' },
      data: { status: 'sent', sentAt: new Date(), error: null, retryAt: null },
    });
  }

  async scheduleRetry(id: string, error: string, retryAt: Date): Promise<void> {
    await this.prisma.outboundMessage.updateMany({ where: { id, status: 'sending' }, data: { status: 'queued', error, retryAt } });
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.prisma.outboundMessage.updateMany({ where: { id, status: { in: PENDING } }, data: { status: 'failed', error, retryAt: null } });
  }

  /**
   * For callers that stop waiting (bulk jobs, schedules): a message that never left is failed, so
   * no worker sends it later; one being sent is left alone, it may already be with WhatsApp.
   * True when it was still queued and is failed now.
   */
  async failIfStillQueued(id: string, error: string): Promise<boolean> {
    const { count } = await this.prisma.outboundMessage.updateMany({ where: { id, status: 'queued' }, data: { status: 'failed', error, retryAt: null } });
    return count === 1;
  }

  /** A delivery or read receipt; statuses only move forward. Returns the updated message. */
  async applyReceipt(sessionId: string, waMessageId: string, status: 'delivered' | 'read'): Promise<OutboundRecord | null> {
    const from = status === 'delivered' ? ['sending', 'sent'] : ['sending', 'sent', 'delivered'];
    const [row] = await this.prisma.$queryRaw<SqlRow[]>`
      UPDATE outbound_messages SET status = ${status}::"DeliveryStatus", updated_at = now(),
        delivered_at = CASE WHEN ${status} = 'delivered' THEN now() ELSE delivered_at END,
        read_at = CASE WHEN ${status} = 'read' THEN now() ELSE read_at END
      WHERE session_id = ${sessionId} AND wa_message_id = ${waMessageId} AND status::text = ANY(${from}::text[])
      RETURNING *`;
    return row ? fromSqlRow(row) : null;
  }

  /** Cancels the session's (or one job's) messages not sent yet; returns how many. */
  async cancelPending(sessionId: string, jobId?: string): Promise<number> {
    const { count } = await this.prisma.outboundMessage.updateMany({
      where: { sessionId, jobId, status: 'queued' },
      data: { status: 'cancelled', retryAt: null },
    });
    return count;
  }

  async counts(sessionId: string, jobId?: string): Promise<OutboundCounts> {
    const groups = await this.prisma.outboundMessage.groupBy({ by: ['status'], where: { sessionId, jobId }, _count: { _all: true } });
    const counts = Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, 0])) as OutboundCounts;
    for (const group of groups) counts[group.status] = group._count._all;
    return counts;
  }

  /** Sessions with messages waiting, for workers checking the outboxes of the sessions they hold. */
  async sessionsWithPending(sessionIds: string[]): Promise<string[]> {
    if (sessionIds.length === 0) return [];
    const rows = await this.prisma.outboundMessage.findMany({
      where: { sessionId: { in: sessionIds }, status: { in: PENDING } },
      distinct: ['sessionId'],
      select: { sessionId: true },
    });
    return rows.map((row) => row.sessionId);
  }
}

function newRow(message: NewOutbound): Prisma.OutboundMessageUncheckedCreateInput {
  return {
    sessionId: message.sessionId,
    waMessageId: message.waMessageId,
    toJid: message.toJid,
    kind: message.content.kind,
    content: message.content as unknown as Prisma.InputJsonValue,
    idempotencyKey: message.idempotencyKey ?? null,
    jobId: message.jobId ?? null,
    jobIndex: message.jobIndex ?? null,
    scheduleId: message.scheduleId ?? null,
    traceId: message.traceId ?? null,
  };
}

function sameMessageFilter(message: NewOutbound): Prisma.OutboundMessageWhereInput[] {
  const filters: Prisma.OutboundMessageWhereInput[] = [];
  if (message.idempotencyKey) filters.push({ idempotencyKey: message.idempotencyKey });
  if (message.jobId && message.jobIndex !== undefined && message.jobIndex !== null) filters.push({ jobId: message.jobId, jobIndex: message.jobIndex });
  if (message.scheduleId) filters.push({ scheduleId: message.scheduleId });
  return filters;
}
