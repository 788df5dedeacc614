import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';

/** Accepted messages not handed to WhatsApp yet, by delivery status. */
export interface OutboxCounts {
  queued: number;
  sending: number;
}

/**
 * Installation-wide depth of the outbox (`outbox_messages`). Counted per session through the
 * (session_id, status, …) index, so the cost follows the messages waiting, not every message
 * ever sent.
 */
@Injectable()
export class OutboxCensusRepository {
  constructor(private readonly prisma: PrismaService) {}

  async pending(): Promise<OutboxCounts> {
    const rows = await this.prisma.$queryRaw<{ status: string; count: number }[]>`
      SELECT o.status::text AS status, count(*)::int AS count
      FROM sessions s
      JOIN outbound_messages o ON o.session_id = s.id AND o.status IN ('queued', 'sending')
      GROUP BY o.status`;
    const count = (status: string) => rows.find((row) => row.status === status)?.count ?? 0;
    return { queued: count('queued'), sending: count('sending') };
  }
}
