import { Injectable } from '@nestjs/common';
import { GatewayConfig } from '@app/config';
import { redisKeys, USER_ROLES } from '@app/contracts';
import { RedisClient } from '@app/redis';
import type { Principal } from '../credentials/principal';
import { hashSecret, issueSecret, looksLike } from '../credentials/secret-tokens';

export interface IssuedTicket {
  ticket: string;
  expiresAt: Date;
}

const CREDENTIAL_KINDS = new Set<string>(['jwt', 'api-key', 'admin-key', 'session-token']);

function isPrincipal(value: unknown): value is Principal {
  const candidate = value as Partial<Principal> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    CREDENTIAL_KINDS.has(String(candidate.via)) &&
    (USER_ROLES as readonly string[]).includes(String(candidate.role)) &&
    (candidate.userId === null || typeof candidate.userId === 'string')
  );
}

/**
 * Live-events tickets: a browser's EventSource cannot send headers, so a caller trades its
 * credential for a ticket (`POST /events/tickets`) and opens `GET /events?ticket=…`. A ticket
 * stands for the principal that asked for it, is kept in Redis only as a hash (any gateway
 * replica can redeem it), works once (GETDEL) and expires after LIVE_EVENTS_TICKET_TTL_MS.
 */
@Injectable()
export class EventTicketStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly config: GatewayConfig,
  ) {}

  async issue(principal: Principal): Promise<IssuedTicket> {
    const { secret, hash } = issueSecret('eventTicket');
    const ttlMs = this.config.LIVE_EVENTS_TICKET_TTL_MS;
    await this.redis.set(this.key(hash), JSON.stringify(principal), 'PX', ttlMs);
    return { ticket: secret, expiresAt: new Date(Date.now() + ttlMs) };
  }

  /** The principal the ticket stands for, once; null for an unknown, used or expired ticket. */
  async redeem(ticket: string): Promise<Principal | null> {
    if (!looksLike('eventTicket', ticket)) return null;
    const stored = await this.redis.getdel(this.key(hashSecret(ticket)));
    if (stored === null) return null;
    const principal: unknown = JSON.parse(stored);
    return isPrincipal(principal) ? principal : null;
  }

  private key(hash: string): string {
    return redisKeys.liveEventsTicket(this.config.REDIS_PREFIX, hash);
  }
}
