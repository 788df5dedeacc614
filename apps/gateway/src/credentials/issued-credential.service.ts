import { Logger } from '@nestjs/common';
import { AppError } from '@app/contracts';
import type { IssuedCredentialRecord, IssuedCredentialRepository, NewIssuedCredential } from '@app/db';
import { hashSecret, issueSecret, looksLike, type SecretTokenKind } from './secret-tokens';

/** lastUsedAt is refreshed at most this often per credential, so a busy one does not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** One kind of issued credential: the prefix of its secrets, and how messages name it and its owner. */
export interface IssuedCredentialKind {
  secret: SecretTokenKind;
  label: string;
  owner: 'user' | 'session';
}

export interface IssuedCredential<TRecord> {
  record: TRecord;
  /** Shown to the caller once, never stored. */
  secret: string;
}

/**
 * Credentials the gateway hands out to an owner (a user's API keys, a session's tokens): issued
 * once with a random secret, stored as its hash, listed without it, revocable, and recognised
 * from the secret a request presents.
 */
export abstract class IssuedCredentialService<TRecord extends IssuedCredentialRecord, TNew extends NewIssuedCredential = NewIssuedCredential> {
  private readonly logger: Logger;

  protected constructor(
    private readonly kind: IssuedCredentialKind,
    private readonly repository: IssuedCredentialRepository<TRecord, TNew>,
  ) {
    this.logger = new Logger(new.target.name);
  }

  async issue(credential: TNew): Promise<IssuedCredential<TRecord>> {
    const issued = issueSecret(this.kind.secret);
    const record = await this.repository.create(credential, { prefix: issued.displayPrefix, hash: issued.hash });
    return { record, secret: issued.secret };
  }

  list(ownerId: string): Promise<TRecord[]> {
    return this.repository.listForOwner(ownerId);
  }

  async revoke(ownerId: string, id: string): Promise<TRecord> {
    const revoked = await this.repository.revoke(ownerId, id, new Date());
    if (!revoked) throw new AppError('NOT_FOUND', `${this.kind.label} ${id} does not exist for ${this.kind.owner} ${ownerId}`);
    return revoked;
  }

  /** The usable (not revoked, not expired) credential matching the presented secret, or null. */
  async authenticate(presented: string): Promise<TRecord | null> {
    if (!looksLike(this.kind.secret, presented)) return null;
    const now = new Date();
    const credential = await this.repository.findUsableByHash(hashSecret(presented), now);
    if (credential) {
      this.repository
        .touch(credential, now, LAST_USED_RESOLUTION_MS)
        .catch((error: unknown) => this.logger.warn(`could not record the use of ${this.kind.label} ${credential.id}: ${String(error)}`));
    }
    return credential;
  }
}
