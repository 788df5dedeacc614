import { Injectable, Optional } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import type { RowCache } from '../row-changes/row.cache';
import { RowCaches } from '../row-changes/row-caches';
import type { NewUserApiKey, UserApiKeyRecord } from './user-api-key.record';

const RECORD_FIELDS = {
  id: true, userId: true, name: true, prefix: true, lastUsedAt: true, expiresAt: true, revokedAt: true, createdAt: true,
} as const;

/** Per-user API keys (seed 001), stored as hashes. */
@Injectable()
export class UserApiKeyRepository {
  private readonly cache: RowCache<UserApiKeyRecord | null> | null;

  constructor(
    private readonly prisma: PrismaService,
    @Optional() private readonly caches?: RowCaches,
  ) {
    this.cache = caches?.cacheFor('user_api_keys') ?? null;
  }

  create(key: NewUserApiKey): Promise<UserApiKeyRecord> {
    return this.prisma.userApiKey.create({ data: key, select: RECORD_FIELDS });
  }

  listForUser(userId: string): Promise<UserApiKeyRecord[]> {
    return this.prisma.userApiKey.findMany({ where: { userId }, select: RECORD_FIELDS, orderBy: { createdAt: 'asc' } });
  }

  /** The key with this hash, unless revoked or expired at `now` (found keys are cached where the process caches rows). */
  async findUsableByHash(keyHash: string, now: Date): Promise<UserApiKeyRecord | null> {
    const read = () => this.prisma.userApiKey.findUnique({ where: { keyHash }, select: RECORD_FIELDS });
    // Unknown hashes are not kept: no row would announce that they came to exist.
    const key = this.cache ? await this.cache.get(keyHash, async () => { const found = await read(); return { value: found, rows: found ? [`user_api_keys:${found.id}`] : [] }; }) : await read();
    return key && key.revokedAt === null && (key.expiresAt === null || key.expiresAt > now) ? key : null;
  }

  /** Revokes one of the user's keys (idempotent: the first revocation time stays); null when the user has no such key. */
  async revoke(userId: string, keyId: string, now: Date): Promise<UserApiKeyRecord | null> {
    await this.prisma.userApiKey.updateMany({ where: { id: keyId, userId, revokedAt: null }, data: { revokedAt: now } });
    this.caches?.changed('user_api_keys', keyId);
    return this.prisma.userApiKey.findFirst({ where: { id: keyId, userId }, select: RECORD_FIELDS });
  }

  /** Records a use of `key`, at most once per `resolutionMs`, so busy keys do not write on every request. */
  async touch(key: UserApiKeyRecord, now: Date, resolutionMs: number): Promise<void> {
    const staleBefore = new Date(now.getTime() - resolutionMs);
    if (key.lastUsedAt && key.lastUsedAt >= staleBefore) return;
    await this.prisma.userApiKey.updateMany({
      where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: staleBefore } }] },
      data: { lastUsedAt: now },
    });
    this.caches?.changed('user_api_keys', key.id);
  }
}
