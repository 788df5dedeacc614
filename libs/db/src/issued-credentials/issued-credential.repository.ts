import type { RowCache } from '../row-changes/row.cache';
import type { CachedTable, RowCaches } from '../row-changes/row-caches';
import type { IssuedCredentialRecord, NewIssuedCredential, StoredSecret } from './issued-credential.record';

/**
 * One table of issued credentials, stored as hashes and owned by a user or a session: lookup by
 * hash (cached where the process caches rows), idempotent revocation, throttled use records. Each
 * kind supplies its table's statements (the Prisma models differ); the rules are the same for all.
 */
export abstract class IssuedCredentialRepository<TRecord extends IssuedCredentialRecord, TNew extends NewIssuedCredential = NewIssuedCredential> {
  private readonly cache: RowCache<TRecord | null> | null;

  protected constructor(
    private readonly table: CachedTable,
    private readonly caches: RowCaches | undefined,
  ) {
    this.cache = caches?.cacheFor(table) ?? null;
  }

  abstract create(credential: TNew, secret: StoredSecret): Promise<TRecord>;

  /** The owner's credentials, oldest first, revoked ones included. */
  abstract listForOwner(ownerId: string): Promise<TRecord[]>;

  protected abstract findByHash(hash: string): Promise<TRecord | null>;

  protected abstract findOwned(ownerId: string, id: string): Promise<TRecord | null>;

  /** Sets revokedAt on the owner's credential unless it is already set. */
  protected abstract markRevoked(ownerId: string, id: string, now: Date): Promise<unknown>;

  /** Sets lastUsedAt unless it is already at or after `staleBefore`. */
  protected abstract markUsed(id: string, staleBefore: Date, now: Date): Promise<unknown>;

  /** The credential with this hash, unless revoked or (for kinds that expire) expired at `now`. */
  async findUsableByHash(hash: string, now: Date): Promise<TRecord | null> {
    // Unknown hashes are not kept: no row would announce that they came to exist.
    const credential = this.cache
      ? await this.cache.get(hash, async () => {
          const found = await this.findByHash(hash);
          return { value: found, rows: found ? [`${this.table}:${found.id}`] : [] };
        })
      : await this.findByHash(hash);
    const usable = credential && credential.revokedAt === null && (credential.expiresAt == null || credential.expiresAt > now);
    return usable ? credential : null;
  }

  /** Revokes one of the owner's credentials (idempotent: the first revocation time stays); null when the owner has no such one. */
  async revoke(ownerId: string, id: string, now: Date): Promise<TRecord | null> {
    await this.markRevoked(ownerId, id, now);
    this.caches?.changed(this.table, id);
    return this.findOwned(ownerId, id);
  }

  /** Records a use, at most once per `resolutionMs`, so busy credentials do not write on every request. */
  async touch(credential: TRecord, now: Date, resolutionMs: number): Promise<void> {
    const staleBefore = new Date(now.getTime() - resolutionMs);
    if (credential.lastUsedAt && credential.lastUsedAt >= staleBefore) return;
    await this.markUsed(credential.id, staleBefore, now);
    this.caches?.changed(this.table, credential.id);
  }
}
