import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import type { NewUserApiKey, UserApiKeyRecord } from './user-api-key.record';

const RECORD_FIELDS = {
  id: true, userId: true, name: true, prefix: true, lastUsedAt: true, expiresAt: true, revokedAt: true, createdAt: true,
} as const;

/** Per-user API keys (seed 001), stored as hashes. */
@Injectable()
export class UserApiKeyRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(key: NewUserApiKey): Promise<UserApiKeyRecord> {
    return this.prisma.userApiKey.create({ data: key, select: RECORD_FIELDS });
  }

  listForUser(userId: string): Promise<UserApiKeyRecord[]> {
    return this.prisma.userApiKey.findMany({ where: { userId }, select: RECORD_FIELDS, orderBy: { createdAt: 'asc' } });
  }

  /** The key with this hash, unless revoked or expired at `now`. */
  findUsableByHash(keyHash: string, now: Date): Promise<UserApiKeyRecord | null> {
    return this.prisma.userApiKey.findFirst({
      where: { keyHash, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      select: RECORD_FIELDS,
    });
  }

  /** Revokes one of the user's keys (idempotent: the first revocation time stays); null when the user has no such key. */
  async revoke(userId: string, keyId: string, now: Date): Promise<UserApiKeyRecord | null> {
    await this.prisma.userApiKey.updateMany({ where: { id: keyId, userId, revokedAt: null }, data: { revokedAt: now } });
    return this.prisma.userApiKey.findFirst({ where: { id: keyId, userId }, select: RECORD_FIELDS });
  }

  /** Records a use, at most once per `resolutionMs`, so busy keys do not write on every request. */
  async touch(id: string, now: Date, resolutionMs: number): Promise<void> {
    const staleBefore = new Date(now.getTime() - resolutionMs);
    await this.prisma.userApiKey.updateMany({
      where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: staleBefore } }] },
      data: { lastUsedAt: now },
    });
  }
}
