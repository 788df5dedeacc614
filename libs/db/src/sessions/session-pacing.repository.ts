import { Injectable } from '@nestjs/common';
import type { PacingOverrides } from '@app/contracts';
import { Prisma } from '../generated/client';
import { PrismaService } from '../prisma.service';

/** A session's own send pacing settings (`sessions.pacing`), read by senders and written by the API. */
@Injectable()
export class SessionPacingRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The session's overrides (`{}` when it has none); null when the session does not exist. */
  async find(sessionId: string): Promise<PacingOverrides | null> {
    const row = await this.prisma.session.findUnique({ where: { id: sessionId }, select: { pacing: true } });
    if (!row) return null;
    return (row.pacing ?? {}) as PacingOverrides;
  }

  /** Replaces the session's overrides; `{}` returns it to the configured pacing. */
  async replace(sessionId: string, overrides: PacingOverrides): Promise<void> {
    const empty = Object.keys(overrides).length === 0;
    await this.prisma.session.update({ where: { id: sessionId }, data: { pacing: empty ? Prisma.DbNull : (overrides as Prisma.InputJsonValue) } });
  }
}
