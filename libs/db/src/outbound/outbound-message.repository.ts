import { Injectable } from '@nestjs/common';
import { DELIVERY_STATUSES, type DeliveryStatus, type OutboundContent } from '@app/contracts';
import { Prisma } from '../generated/client';
import { PrismaService } from '../prisma.service';
import type { OutboundCounts, OutboundRecord } from './outbound-message.record';

type Row = Prisma.OutboundMessageGetPayload<object>;

/** Every field but the acceptance sequence (a bigint, which JSON cannot carry). */
const toRecord = ({ seq: _seq, ...row }: Row): OutboundRecord => ({ ...row, content: row.content as unknown as OutboundContent });

const PENDING: DeliveryStatus[] = ['queued', 'sending'];

/**
 * The outbox: every accepted send, whatever route, job or schedule it came from. The worker that
 * owns a session drains its outbox in order; nothing is sent any other way, so an accepted
 * message is delivered or reported failed even when processes die in between. Accepting and the
 * drainer's own statements are OutboxSendRepository's; this one reads, retries, fails and cancels.
 */
@Injectable()
export class OutboundMessageRepository {
  constructor(private readonly prisma: PrismaService) {}

  async find(id: string): Promise<OutboundRecord | null> {
    const row = await this.prisma.outboundMessage.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
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

  /**
   * The session ended for good (logged out, wiped, failed): what still waits in its outbox can
   * never go out. Fails it with the reason and returns what it failed.
   */
  async failPending(sessionId: string, error: string): Promise<OutboundRecord[]> {
    const rows = await this.prisma.outboundMessage.updateManyAndReturn({
      where: { sessionId, status: { in: PENDING } },
      data: { status: 'failed', error, retryAt: null },
    });
    return rows.map(toRecord);
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
}
