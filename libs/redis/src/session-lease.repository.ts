import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CoreConfig } from '@app/config';
import { redisChannels, redisKeys } from '@app/contracts';
import { RedisClient } from './redis-client';

/** A lease a worker holds on one session; `token` proves it is this holder and not a later one. */
export interface SessionLease {
  sessionId: string;
  workerId: string;
  token: string;
}

/** Extends the lease only while it still holds our token. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
/** Deletes the lease only while it still holds our token. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * Session ownership in Redis: a worker may connect a session only while it holds the session's
 * lease. Leases expire unless renewed, so a dead worker's sessions become free after the TTL.
 */
@Injectable()
export class SessionLeaseRepository {
  constructor(
    private readonly redis: RedisClient,
    private readonly config: CoreConfig,
  ) {}

  private key(sessionId: string): string {
    return redisKeys.sessionLease(this.config.REDIS_PREFIX, sessionId);
  }

  /** Takes the lease if nobody holds it; null when another worker does. */
  async acquire(sessionId: string, workerId: string, ttlMs: number): Promise<SessionLease | null> {
    const token = `${workerId}:${randomBytes(8).toString('hex')}`;
    const taken = await this.redis.set(this.key(sessionId), token, 'PX', ttlMs, 'NX');
    return taken === 'OK' ? { sessionId, workerId, token } : null;
  }

  /** Renews every lease in one round trip; returns the ids whose lease is no longer ours. */
  async renewAll(leases: SessionLease[], ttlMs: number): Promise<string[]> {
    if (leases.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const lease of leases) pipeline.eval(RENEW, 1, this.key(lease.sessionId), lease.token, ttlMs);
    const results = (await pipeline.exec()) ?? [];
    return leases.filter((_, index) => results[index]?.[1] !== 1).map((lease) => lease.sessionId);
  }

  async release(lease: SessionLease): Promise<boolean> {
    return (await this.redis.eval(RELEASE, 1, this.key(lease.sessionId), lease.token)) === 1;
  }

  /** The worker holding the session's lease now, or null. */
  async ownerOf(sessionId: string): Promise<string | null> {
    return workerIdOf(await this.redis.get(this.key(sessionId)));
  }

  /** Owners of many sessions at once (null where no lease is held). */
  async ownersOf(sessionIds: string[]): Promise<Map<string, string | null>> {
    if (sessionIds.length === 0) return new Map();
    const values = await this.redis.mget(sessionIds.map((id) => this.key(id)));
    return new Map(sessionIds.map((id, index) => [id, workerIdOf(values[index] ?? null)]));
  }

  /** Tells every worker to look for sessions without an owner now. */
  async wakeWorkers(): Promise<void> {
    await this.redis.publish(redisChannels.sessionsWake(this.config.REDIS_PREFIX), '1');
  }
}

/** Lease values are `<workerId>:<nonce>`; worker ids never contain ':'. */
function workerIdOf(value: string | null): string | null {
  if (!value) return null;
  const separator = value.lastIndexOf(':');
  return separator > 0 ? value.slice(0, separator) : null;
}
