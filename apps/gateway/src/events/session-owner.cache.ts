import { Injectable } from '@nestjs/common';
import { SessionRepository } from '@app/db';

/**
 * How long an owner lookup is trusted. A session keeps its owner for life, so this only bounds how
 * long events of a deleted session, recreated under the same id by another user, could still
 * reach the old owner's streams.
 */
const OWNER_TTL_MS = 5_000;
/** Above this many cached sessions, expired entries are swept before adding more. */
const SWEEP_ABOVE = 10_000;

/** Who owns the session of each live event, for tenant filtering; one query per batch of misses. */
@Injectable()
export class SessionOwnerCache {
  private readonly owners = new Map<string, { userId: string | null; until: number }>();

  constructor(private readonly sessions: SessionRepository) {}

  /** The owner of each session id; null for a session that does not exist (only admins see its events). */
  async ownersOf(sessionIds: Iterable<string>): Promise<Map<string, string | null>> {
    const now = Date.now();
    const found = new Map<string, string | null>();
    const missing: string[] = [];
    for (const id of new Set(sessionIds)) {
      const cached = this.owners.get(id);
      if (cached && cached.until > now) found.set(id, cached.userId);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    const loaded = await this.sessions.ownersOf(missing);
    if (this.owners.size > SWEEP_ABOVE) this.sweep(now);
    for (const id of missing) {
      const userId = loaded.get(id) ?? null;
      this.owners.set(id, { userId, until: now + OWNER_TTL_MS });
      found.set(id, userId);
    }
    return found;
  }

  private sweep(now: number): void {
    for (const [id, entry] of this.owners) if (entry.until <= now) this.owners.delete(id);
  }
}
