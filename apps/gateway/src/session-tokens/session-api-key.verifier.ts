import { Injectable, Logger } from '@nestjs/common';
import { CoreConfig } from '@app/config';
import { redisKeys } from '@app/contracts';
import { SecretBox } from '@app/crypto';
import { SessionRepository, SharedApiKeyRepository, type SessionRecord } from '@app/db';
import { RedisClient } from '@app/redis';
import { secretsEqual } from '../credentials/secret-tokens';

/**
 * A burst of wrong tokens must not become a burst of queries: a session's key is re-synced at
 * most once per this period, across all gateway replicas.
 */
const RESYNC_COOLDOWN_MS = 2_000;

/**
 * Seed 003's agent-route credential: a Bearer token equal to the session's api key (stored sealed).
 * On a mismatch the caller gets 401 at once, and the key is re-synced in the background from the
 * shared `api_keys` table (latest active `access_token` of the session's `userId`), so a key rotated
 * in the AI backend is accepted on a later try.
 */
@Injectable()
export class SessionApiKeyVerifier {
  private readonly logger = new Logger(SessionApiKeyVerifier.name);
  private readonly resyncing = new Set<string>();

  constructor(
    private readonly sessions: SessionRepository,
    private readonly sharedKeys: SharedApiKeyRepository,
    private readonly box: SecretBox,
    private readonly redis: RedisClient,
    private readonly config: CoreConfig,
  ) {}

  /** The session when `presented` is its api key; otherwise null (and a re-sync starts). */
  async verify(sessionId: string, presented: string): Promise<SessionRecord | null> {
    const session = await this.sessions.findById(sessionId);
    if (!session) return null;
    const current = this.unseal(session);
    if (current !== null && secretsEqual(presented, current)) return session;
    this.resyncInBackground(session);
    return null;
  }

  private resyncInBackground(session: SessionRecord): void {
    if (this.resyncing.has(session.id)) return;
    this.resyncing.add(session.id);
    this.resync(session)
      .catch((error: unknown) => this.logger.warn(`session ${session.id}: api key re-sync failed: ${String(error)}`))
      .finally(() => this.resyncing.delete(session.id));
  }

  private async resync(session: SessionRecord): Promise<void> {
    const cooldownKey = redisKeys.sessionKeyResync(this.config.REDIS_PREFIX, session.id);
    if ((await this.redis.set(cooldownKey, '1', 'PX', RESYNC_COOLDOWN_MS, 'NX')) !== 'OK') return;
    const latest = await this.sharedKeys.findLatestActiveToken(session.clientUserId);
    if (latest === null || latest === this.unseal(session)) return;
    await this.sessions.updateApiKey(session.id, this.box.seal(latest));
    this.logger.log(`session ${session.id}: api key re-synced from api_keys`);
  }

  private unseal(session: SessionRecord): string | null {
    if (!session.aiApiKeyCipher) return null;
    try {
      return this.box.open(session.aiApiKeyCipher);
    } catch {
      this.logger.warn(`session ${session.id}: stored api key cannot be opened (ENCRYPTION_KEY changed?)`);
      return null;
    }
  }
}
