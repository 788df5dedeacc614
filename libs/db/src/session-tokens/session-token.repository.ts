import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import type { NewSessionToken, SessionTokenRecord } from './session-token.record';

const RECORD_FIELDS = { id: true, sessionId: true, name: true, prefix: true, lastUsedAt: true, revokedAt: true, createdAt: true } as const;

/** Bearer tokens bound to one session (seeds 000, 003), stored as hashes. */
@Injectable()
export class SessionTokenRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(token: NewSessionToken): Promise<SessionTokenRecord> {
    return this.prisma.sessionToken.create({ data: token, select: RECORD_FIELDS });
  }

  listForSession(sessionId: string): Promise<SessionTokenRecord[]> {
    return this.prisma.sessionToken.findMany({ where: { sessionId }, select: RECORD_FIELDS, orderBy: { createdAt: 'asc' } });
  }

  findActiveByHash(tokenHash: string): Promise<SessionTokenRecord | null> {
    return this.prisma.sessionToken.findFirst({ where: { tokenHash, revokedAt: null }, select: RECORD_FIELDS });
  }

  /** Revokes one of the session's tokens (idempotent: the first revocation time stays); null when the session has no such token. */
  async revoke(sessionId: string, tokenId: string, now: Date): Promise<SessionTokenRecord | null> {
    await this.prisma.sessionToken.updateMany({ where: { id: tokenId, sessionId, revokedAt: null }, data: { revokedAt: now } });
    return this.prisma.sessionToken.findFirst({ where: { id: tokenId, sessionId }, select: RECORD_FIELDS });
  }

  /** Records a use, at most once per `resolutionMs`, so busy tokens do not write on every request. */
  async touch(id: string, now: Date, resolutionMs: number): Promise<void> {
    const staleBefore = new Date(now.getTime() - resolutionMs);
    await this.prisma.sessionToken.updateMany({
      where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: staleBefore } }] },
      data: { lastUsedAt: now },
    });
  }
}
