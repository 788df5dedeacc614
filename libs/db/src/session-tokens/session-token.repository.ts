import { Injectable, Optional } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import type { RowCache } from '../row-changes/row.cache';
import { RowCaches } from '../row-changes/row-caches';
import type { NewSessionToken, SessionTokenRecord } from './session-token.record';

const RECORD_FIELDS = { id: true, sessionId: true, name: true, prefix: true, lastUsedAt: true, revokedAt: true, createdAt: true } as const;

/** Bearer tokens bound to one session (seeds 000, 003), stored as hashes. */
@Injectable()
export class SessionTokenRepository {
  private readonly cache: RowCache<SessionTokenRecord | null> | null;

  constructor(
    private readonly prisma: PrismaService,
    @Optional() private readonly caches?: RowCaches,
  ) {
    this.cache = caches?.cacheFor('session_tokens') ?? null;
  }

  create(token: NewSessionToken): Promise<SessionTokenRecord> {
    return this.prisma.sessionToken.create({ data: token, select: RECORD_FIELDS });
  }

  listForSession(sessionId: string): Promise<SessionTokenRecord[]> {
    return this.prisma.sessionToken.findMany({ where: { sessionId }, select: RECORD_FIELDS, orderBy: { createdAt: 'asc' } });
  }

  /** The token with this hash unless revoked (found tokens are cached where the process caches rows). */
  async findActiveByHash(tokenHash: string): Promise<SessionTokenRecord | null> {
    const read = () => this.prisma.sessionToken.findUnique({ where: { tokenHash }, select: RECORD_FIELDS });
    // Unknown hashes are not kept: no row would announce that they came to exist.
    const token = this.cache ? await this.cache.get(tokenHash, async () => { const found = await read(); return { value: found, rows: found ? [`session_tokens:${found.id}`] : [] }; }) : await read();
    return token && token.revokedAt === null ? token : null;
  }

  /** Revokes one of the session's tokens (idempotent: the first revocation time stays); null when the session has no such token. */
  async revoke(sessionId: string, tokenId: string, now: Date): Promise<SessionTokenRecord | null> {
    await this.prisma.sessionToken.updateMany({ where: { id: tokenId, sessionId, revokedAt: null }, data: { revokedAt: now } });
    this.caches?.changed('session_tokens', tokenId);
    return this.prisma.sessionToken.findFirst({ where: { id: tokenId, sessionId }, select: RECORD_FIELDS });
  }

  /** Records a use of `token`, at most once per `resolutionMs`, so busy tokens do not write on every request. */
  async touch(token: SessionTokenRecord, now: Date, resolutionMs: number): Promise<void> {
    const staleBefore = new Date(now.getTime() - resolutionMs);
    if (token.lastUsedAt && token.lastUsedAt >= staleBefore) return;
    await this.prisma.sessionToken.updateMany({
      where: { id: token.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: staleBefore } }] },
      data: { lastUsedAt: now },
    });
    this.caches?.changed('session_tokens', token.id);
  }
}
