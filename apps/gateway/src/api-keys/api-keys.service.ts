import { Injectable } from '@nestjs/common';
import { AppError } from '@app/contracts';
import { UserApiKeyRepository, UserRepository, type NewUserApiKey, type UserApiKeyRecord } from '@app/db';
import { IssuedCredentialService, type IssuedCredential } from '../credentials/issued-credential.service';

/** Per-user API keys (seed 001): issued once, stored as hashes, revocable. */
@Injectable()
export class ApiKeysService extends IssuedCredentialService<UserApiKeyRecord, NewUserApiKey> {
  constructor(
    keys: UserApiKeyRepository,
    private readonly users: UserRepository,
  ) {
    super({ secret: 'apiKey', label: 'API key', owner: 'user' }, keys);
  }

  override async issue(key: NewUserApiKey): Promise<IssuedCredential<UserApiKeyRecord>> {
    await this.requireUser(key.ownerId);
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) throw new AppError('INVALID_PAYLOAD', 'expiresAt must be in the future');
    return super.issue(key);
  }

  override async list(userId: string): Promise<UserApiKeyRecord[]> {
    await this.requireUser(userId);
    return super.list(userId);
  }

  private async requireUser(userId: string): Promise<void> {
    if (!(await this.users.findById(userId))) throw new AppError('USER_NOT_FOUND', `User ${userId} does not exist`);
  }
}
