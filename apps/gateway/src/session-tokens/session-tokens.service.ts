import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '@app/contracts';
import { SessionTokenRepository, type SessionTokenRecord } from '@app/db';
import { hashSecret, issueSecret, looksLike } from '../auth/secret-tokens';

/** lastUsedAt is refreshed at most this often per token, so a busy token does not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Bearer tokens bound to one session (seeds 000, 003): they send and run the agent on it, nothing else. */
@Injectable()
export class SessionTokensService {
  private readonly logger = new Logger(SessionTokensService.name);

  constructor(private readonly tokens: SessionTokenRepository) {}

  async create(sessionId: string, name: string): Promise<{ record: SessionTokenRecord; token: string }> {
    const issued = issueSecret('sessionToken');
    const record = await this.tokens.create({ sessionId, name, prefix: issued.displayPrefix, tokenHash: issued.hash });
    return { record, token: issued.secret };
  }

  list(sessionId: string): Promise<SessionTokenRecord[]> {
    return this.tokens.listForSession(sessionId);
  }

  async revoke(sessionId: string, tokenId: string): Promise<SessionTokenRecord> {
    const revoked = await this.tokens.revoke(sessionId, tokenId, new Date());
    if (!revoked) throw new AppError('NOT_FOUND', `Token ${tokenId} does not exist for session ${sessionId}`);
    return revoked;
  }

  /** The active token matching the presented secret, or null. */
  async authenticate(presented: string): Promise<SessionTokenRecord | null> {
    if (!looksLike('sessionToken', presented)) return null;
    const token = await this.tokens.findActiveByHash(hashSecret(presented));
    if (token) {
      this.tokens.touch(token, new Date(), LAST_USED_RESOLUTION_MS).catch((error: unknown) =>
        this.logger.warn(`could not record the use of session token ${token.id}: ${String(error)}`),
      );
    }
    return token;
  }
}
