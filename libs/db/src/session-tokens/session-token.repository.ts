import { Injectable, Optional } from '@nestjs/common';
import { IssuedCredentialRepository } from '../issued-credentials/issued-credential.repository';
import type { StoredSecret } from '../issued-credentials/issued-credential.record';
import { PrismaService } from '../prisma.service';
import { RowCaches } from '../row-changes/row-caches';
import type { NewSessionToken, SessionTokenRecord } from './session-token.record';

const RECORD_FIELDS = { id: true, sessionId: true, name: true, prefix: true, lastUsedAt: true, revokedAt: true, createdAt: true } as const;

/** Bearer tokens bound to one session (seeds 000, 003), stored as hashes. */
@Injectable()
export class SessionTokenRepository extends IssuedCredentialRepository<SessionTokenRecord, NewSessionToken> {
  constructor(
    private readonly prisma: PrismaService,
    @Optional() caches?: RowCaches,
  ) {
    super('session_tokens', caches);
  }

  create(token: NewSessionToken, secret: StoredSecret): Promise<SessionTokenRecord> {
    const data = { sessionId: token.ownerId, name: token.name, prefix: secret.prefix, tokenHash: secret.hash };
    return this.prisma.sessionToken.create({ data, select: RECORD_FIELDS });
  }

  listForOwner(sessionId: string): Promise<SessionTokenRecord[]> {
    return this.prisma.sessionToken.findMany({ where: { sessionId }, select: RECORD_FIELDS, orderBy: { createdAt: 'asc' } });
  }

  protected findByHash(tokenHash: string): Promise<SessionTokenRecord | null> {
    return this.prisma.sessionToken.findUnique({ where: { tokenHash }, select: RECORD_FIELDS });
  }

  protected findOwned(sessionId: string, id: string): Promise<SessionTokenRecord | null> {
    return this.prisma.sessionToken.findFirst({ where: { id, sessionId }, select: RECORD_FIELDS });
  }

  protected markRevoked(sessionId: string, id: string, now: Date): Promise<unknown> {
    return this.prisma.sessionToken.updateMany({ where: { id, sessionId, revokedAt: null }, data: { revokedAt: now } });
  }

  protected markUsed(id: string, staleBefore: Date, now: Date): Promise<unknown> {
    return this.prisma.sessionToken.updateMany({
      where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: staleBefore } }] },
      data: { lastUsedAt: now },
    });
  }
}
