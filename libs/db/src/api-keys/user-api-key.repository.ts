import { Injectable, Optional } from '@nestjs/common';
import { IssuedCredentialRepository } from '../issued-credentials/issued-credential.repository';
import type { StoredSecret } from '../issued-credentials/issued-credential.record';
import { PrismaService } from '../prisma.service';
import { RowCaches } from '../row-changes/row-caches';
import type { NewUserApiKey, UserApiKeyRecord } from './user-api-key.record';

const RECORD_FIELDS = {
  id: true,
  userId: true,
  name: true,
  prefix: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  createdAt: true,
} as const;

/** Per-user API keys (seed 001), stored as hashes. */
@Injectable()
export class UserApiKeyRepository extends IssuedCredentialRepository<UserApiKeyRecord, NewUserApiKey> {
  constructor(
    private readonly prisma: PrismaService,
    @Optional() caches?: RowCaches,
  ) {
    super('user_api_keys', caches);
  }

  create(key: NewUserApiKey, secret: StoredSecret): Promise<UserApiKeyRecord> {
    const data = { userId: key.ownerId, name: key.name, prefix: secret.prefix, keyHash: secret.hash, expiresAt: key.expiresAt };
    return this.prisma.userApiKey.create({ data, select: RECORD_FIELDS });
  }

  listForOwner(userId: string): Promise<UserApiKeyRecord[]> {
    return this.prisma.userApiKey.findMany({ where: { userId }, select: RECORD_FIELDS, orderBy: { createdAt: 'asc' } });
  }

  protected findByHash(keyHash: string): Promise<UserApiKeyRecord | null> {
    return this.prisma.userApiKey.findUnique({ where: { keyHash }, select: RECORD_FIELDS });
  }

  protected findOwned(userId: string, id: string): Promise<UserApiKeyRecord | null> {
    return this.prisma.userApiKey.findFirst({ where: { id, userId }, select: RECORD_FIELDS });
  }

  protected markRevoked(userId: string, id: string, now: Date): Promise<unknown> {
    return this.prisma.userApiKey.updateMany({ where: { id, userId, revokedAt: null }, data: { revokedAt: now } });
  }

  protected markUsed(id: string, staleBefore: Date, now: Date): Promise<unknown> {
    return this.prisma.userApiKey.updateMany({
      where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: staleBefore } }] },
      data: { lastUsedAt: now },
    });
  }
}
