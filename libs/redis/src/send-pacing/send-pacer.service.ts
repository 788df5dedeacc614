import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SendingConfig } from '@app/config';
import { isPaced, redisKeys, SEND_ORIGINS, type PacingProfile, type SendOrigin } from '@app/contracts';
import { SessionPacingRepository } from '@app/db';
import { luaScript, RedisClient } from '../redis-client';
import { effectivePacing, type PacingProfiles } from './pacing-profiles';
import { SEND_PACING_SCRIPT } from './send-pacing.script';

/** Which limit decided the wait: the previous reservation, the random pause, the bucket or a cap. */
export type PacingLimit = 'backlog' | 'delay' | 'rate' | 'per_minute' | 'per_hour' | 'per_recipient';

export type PacingDecision =
  /** A slot is reserved: send after `waitMs` (0 = now). */
  | { allowed: true; waitMs: number; limitedBy?: PacingLimit }
  /** Nothing reserved: the earliest slot is further away than SEND_MAX_WAIT_MS. */
  | { allowed: false; retryAfterMs: number; retryAt: Date; limitedBy: PacingLimit };

const PACING_SCRIPT = luaScript(SEND_PACING_SCRIPT);

/**
 * How long a session's profiles are reused before its settings are read again: a change through
 * `PUT /sessions/{id}/pacing` applies to sends from this long after it at the latest.
 */
export const PACING_SETTINGS_REFRESH_MS = 2_000;
/** Cached sessions beyond which expired entries are swept. */
const CACHE_SWEEP_SIZE = 10_000;

/**
 * Per-session send pacing shared by every process through Redis. Each message is paced by the
 * profile of its origin (see SendOrigin): single sends by seed 003's token bucket, bulk job items
 * and scheduled messages by seed 001's anti-spam queue (random pause, per-minute, per-hour and
 * per-recipient caps); both from SendingConfig, overridden per session in `sessions.pacing`. The
 * state outlives the owning worker (keys expire only after the longest window), so the session's
 * next owner after a failover keeps the budget. The origins share the session's schedule (one send
 * at a time, in reservation order); each cap counts the sends made under a profile that has it.
 */
@Injectable()
export class SendPacer {
  private readonly cache = new Map<string, { profiles: PacingProfiles; until: number }>();

  constructor(
    private readonly redis: RedisClient,
    private readonly config: SendingConfig,
    private readonly settings: SessionPacingRepository,
  ) {}

  /**
   * Reserves the session's next send slot for a message of `origin` to `recipientJid` (a
   * normalised JID). Call right before each send and wait `waitMs`; a refusal reserves nothing.
   */
  async reserve(sessionId: string, recipientJid: string, origin: SendOrigin = 'single'): Promise<PacingDecision> {
    const profile = (await this.profiles(sessionId))[origin];
    // Nothing limits this origin: no Redis round trip per send.
    if (!isPaced(profile)) return { allowed: true, waitMs: 0 };
    return this.evaluate(sessionId, recipientJid, profile, this.drawDelay(profile), false);
  }

  /**
   * How long a message of `origin` to `recipientJid` would wait if it were reserved now (its
   * shortest pause), reserving nothing: lets a bulk job hold its next item back instead of
   * parking it in the outbox.
   */
  async peek(sessionId: string, recipientJid: string, origin: SendOrigin): Promise<number> {
    const profile = (await this.profiles(sessionId))[origin];
    if (!isPaced(profile)) return 0;
    const decision = await this.evaluate(sessionId, recipientJid, profile, profile.delayMinMs, true);
    return decision.allowed ? decision.waitMs : decision.retryAfterMs;
  }

  /** Whether sends of `origin` (of any origin when omitted) need a permit at all. */
  async paced(sessionId: string, origin?: SendOrigin): Promise<boolean> {
    const profiles = await this.profiles(sessionId);
    return origin ? isPaced(profiles[origin]) : SEND_ORIGINS.some((each) => isPaced(profiles[each]));
  }

  /** Attempts a message of `origin` gets, the first included, before it is marked failed. */
  async maxAttempts(sessionId: string, origin: SendOrigin): Promise<number> {
    return (await this.profiles(sessionId))[origin].maxAttempts;
  }

  /** The session's effective profiles, re-read at most every PACING_SETTINGS_REFRESH_MS. */
  async profiles(sessionId: string): Promise<PacingProfiles> {
    const now = Date.now();
    const cached = this.cache.get(sessionId);
    if (cached && cached.until > now) return cached.profiles;
    const profiles = effectivePacing(this.config, (await this.settings.find(sessionId)) ?? {});
    if (this.cache.size >= CACHE_SWEEP_SIZE) {
      for (const [id, entry] of this.cache) if (entry.until <= now) this.cache.delete(id);
    }
    this.cache.set(sessionId, { profiles, until: now + PACING_SETTINGS_REFRESH_MS });
    return profiles;
  }

  private async evaluate(sessionId: string, recipientJid: string, profile: PacingProfile, delayMs: number, peek: boolean): Promise<PacingDecision> {
    const prefix = this.config.REDIS_PREFIX;
    const keys = [
      redisKeys.sendPacing(prefix, sessionId),
      redisKeys.sendPacingLog(prefix, sessionId),
      redisKeys.sendPacingRecipient(prefix, sessionId, recipientJid),
    ];
    const args = [
      profile.ratePerMinute / 60_000,
      profile.burst,
      delayMs,
      profile.maxPerMinute,
      profile.maxPerHour,
      profile.maxPerRecipientPerHour,
      this.config.SEND_MAX_WAIT_MS,
      randomUUID(),
      peek ? '1' : '0',
    ];
    const [reserved, waitMs, limit] = (await this.redis.runScript(PACING_SCRIPT, keys, args)) as [number, number, PacingLimit | 'none'];
    if (reserved === 1) return limit === 'none' ? { allowed: true, waitMs } : { allowed: true, waitMs, limitedBy: limit };
    return { allowed: false, retryAfterMs: waitMs, retryAt: new Date(Date.now() + waitMs), limitedBy: limit as PacingLimit };
  }

  /** Seed 001's random pause between two sends, drawn per send. */
  private drawDelay({ delayMinMs: min, delayMaxMs: max }: PacingProfile): number {
    return max === 0 ? 0 : min + Math.floor(Math.random() * (max - min + 1));
  }
}
