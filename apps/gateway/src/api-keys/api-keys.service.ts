import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '@app/contracts';
import { UserApiKeyRepository, UserRepository, type UserApiKeyRecord } from '@app/db';
import { hashSecret, issueSecret, looksLike } from '../auth/secret-tokens';

/** lastUsedAt is refreshed at most this often per key, so a busy key does not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Per-user API keys (seed 001): issued once, stored as hashes, revocable. */
@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);

  constructor(
    private readonly keys: UserApiKeyRepository,
    private readonly users: UserRepository,
  ) {}

  async create(userId: string, name: string, expiresAt: Date | null): Promise<{ record: UserApiKeyRecord; key: string }> {
    await this.requireUser(userId);
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw new AppError('INVALID_PAYLOAD', 'expiresAt must be in the future');
    const issued = issueSecret('apiKey');
    const record = await this.keys.create({ userId, name, prefix: issued.displayPrefix, keyHash: issued.hash, expiresAt });
    return { record, key: issued.secret };
  }

  async list(userId: string): Promise<UserApiKeyRecord[]> {
    await this.requireUser(userId);
    return this.keys.listForUser(userId);
  }

  async revoke(userId: string, keyId: string): Promise<UserApiKeyRecord> {
    const revoked = await this.keys.revoke(userId, keyId, new Date());
    if (!revoked) throw new AppError('NOT_FOUND', `API key ${keyId} does not exist for user ${userId}`);
    return revoked;
  }

  /** The usable (not revoked, not expired) key matching the presented secret, or null. */
  async authenticate(presented: string): Promise<UserApiKeyRecord | null> {
    if (!looksLike('apiKey', presented)) return null;
    const now = new Date();
    const key = await this.keys.findUsableByHash(hashSecret(presented), now);
    if (key) {
      this.keys.touch(key, now, LAST_USED_RESOLUTION_MS).catch((error: unknown) =>
        this.logger.warn(`could not record the use of API key ${key.id}: ${String(error)}`),
      );
    }
    return key;
  }

  private async requireUser(userId: string): Promise<void> {
    if (!(await this.users.findById(userId))) throw new AppError('USER_NOT_FOUND', `User ${userId} does not exist`);
  }
}
