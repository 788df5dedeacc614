import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { SendingConfig } from '@app/config';
import { redisKeys } from '@app/contracts';
import { RedisClient } from '../redis-client';
import { SEND_PACING_SCRIPT } from './send-pacing.script';

/** Which limit decided the wait: the previous reservation, the random pause, the bucket or a cap. */
export type PacingLimit = 'backlog' | 'delay' | 'rate' | 'per_minute' | 'per_hour' | 'per_recipient';

export type PacingDecision =
  /** A slot is reserved: send after `waitMs` (0 = now). */
  | { allowed: true; waitMs: number; limitedBy?: PacingLimit }
  /** Nothing reserved: the earliest slot is further away than SEND_MAX_WAIT_MS. */
  | { allowed: false; retryAfterMs: number; retryAt: Date; limitedBy: PacingLimit };

const SCRIPT_SHA = createHash('sha1').update(SEND_PACING_SCRIPT).digest('hex');

/**
 * Per-session send pacing shared by every process through Redis: seed 003's token bucket and
 * seed 001's anti-ban pacing (random pause, per-minute, per-hour and per-recipient caps), each
 * from SendingConfig and each off at 0. The state outlives the owning worker (keys expire only
 * after the longest window), so the session's next owner after a failover keeps the budget.
 */
@Injectable()
export class SendPacer {
  constructor(
    private readonly redis: RedisClient,
    private readonly config: SendingConfig,
  ) {}

  /**
   * Reserves the session's next send slot for a message to `recipientJid` (a normalised JID).
   * Call right before each send and wait `waitMs`; a refusal reserves nothing.
   */
  async reserve(sessionId: string, recipientJid: string): Promise<PacingDecision> {
    const config = this.config;
    // Everything off (benchmarks, simulator runs): no Redis round trip per send.
    if (!this.enabled) return { allowed: true, waitMs: 0 };
    const prefix = config.REDIS_PREFIX;
    const keys = [
      redisKeys.sendPacing(prefix, sessionId),
      redisKeys.sendPacingLog(prefix, sessionId),
      redisKeys.sendPacingRecipient(prefix, sessionId, recipientJid),
    ];
    const args = [
      config.SEND_RATE_PER_MINUTE / 60_000,
      config.SEND_BURST,
      this.drawDelay(),
      config.SEND_MAX_PER_MINUTE,
      config.SEND_MAX_PER_HOUR,
      config.SEND_MAX_PER_RECIPIENT_PER_HOUR,
      config.SEND_MAX_WAIT_MS,
      randomUUID(),
    ];
    const [reserved, waitMs, limit] = (await this.run(keys, args)) as [number, number, PacingLimit | 'none'];
    if (reserved === 1) return limit === 'none' ? { allowed: true, waitMs } : { allowed: true, waitMs, limitedBy: limit };
    return { allowed: false, retryAfterMs: waitMs, retryAt: new Date(Date.now() + waitMs), limitedBy: limit as PacingLimit };
  }

  /** Whether any limit is configured; with none, every reservation is granted at once. */
  get enabled(): boolean {
    const c = this.config;
    return c.SEND_RATE_PER_MINUTE > 0 || c.SEND_DELAY_MAX_MS > 0 || c.SEND_MAX_PER_MINUTE > 0 || c.SEND_MAX_PER_HOUR > 0 || c.SEND_MAX_PER_RECIPIENT_PER_HOUR > 0;
  }

  /** Seed 001's random pause between two sends, drawn per send. */
  private drawDelay(): number {
    const { SEND_DELAY_MIN_MS: min, SEND_DELAY_MAX_MS: max } = this.config;
    return max === 0 ? 0 : min + Math.floor(Math.random() * (max - min + 1));
  }

  /** EVALSHA, loading the script when this Redis has not seen it yet (restart, failover). */
  private async run(keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(SCRIPT_SHA, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.redis.eval(SEND_PACING_SCRIPT, keys.length, ...keys, ...args);
    }
  }
}
