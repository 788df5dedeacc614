import { Injectable } from '@nestjs/common';
import { CoreConfig } from '@app/config';
import { redisChannels, redisKeys, type SessionReservation } from '@app/contracts';
import { RedisClient } from './redis-client';

/** Deletes the reservation only while it still names the same receiver, and takes it off that receiver's list. */
const SETTLE = `
local value = redis.call('GET', KEYS[1])
if value and cjson.decode(value).to == ARGV[1] then redis.call('DEL', KEYS[1]) end
redis.call('ZREM', KEYS[2], ARGV[2])
return 1`;

/**
 * Token bucket on Redis' clock (workers' clocks may differ): refills `rate` tokens per second up to
 * `burst`; takes one and answers 0, or answers how many ms until one is there.
 */
const TAKE_TOKEN = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return wait`;

/**
 * Planned hand-overs in Redis: reservations that send a released session to the worker chosen
 * for it, each worker's incoming moves (counted as load before the receiver holds them), the
 * cluster-wide pace of moves, and the nudge that has the receiver claim the session at once.
 */
@Injectable()
export class SessionMovesRepository {
  constructor(
    private readonly redis: RedisClient,
    private readonly config: CoreConfig,
  ) {}

  /** Reserves the session for `reservation.to` for `ttlMs` and counts it as that worker's incoming move. */
  async reserve(sessionId: string, reservation: SessionReservation, ttlMs: number): Promise<void> {
    const prefix = this.config.REDIS_PREFIX;
    const incoming = redisKeys.workerIncoming(prefix, reservation.to);
    const now = Date.now();
    await this.redis
      .multi()
      .set(redisKeys.sessionReservation(prefix, sessionId), JSON.stringify(reservation), 'PX', ttlMs)
      .zremrangebyscore(incoming, '-inf', now)
      .zadd(incoming, now + ttlMs, sessionId)
      .pexpire(incoming, ttlMs)
      .exec();
  }

  /** Reservations of many sessions at once (null where none is in force). */
  async reservationsOf(sessionIds: string[]): Promise<Map<string, SessionReservation | null>> {
    if (sessionIds.length === 0) return new Map();
    const prefix = this.config.REDIS_PREFIX;
    const values = await this.redis.mget(sessionIds.map((id) => redisKeys.sessionReservation(prefix, id)));
    return new Map(sessionIds.map((id, index) => [id, parseReservation(values[index] ?? null)]));
  }

  async reservationOf(sessionId: string): Promise<SessionReservation | null> {
    return parseReservation(await this.redis.get(redisKeys.sessionReservation(this.config.REDIS_PREFIX, sessionId)));
  }

  /** The move to `to` is over (claimed, or given up): the reservation goes, if it is still that one. */
  async settle(sessionId: string, to: string): Promise<void> {
    const prefix = this.config.REDIS_PREFIX;
    await this.redis.eval(SETTLE, 2, redisKeys.sessionReservation(prefix, sessionId), redisKeys.workerIncoming(prefix, to), to, sessionId);
  }

  /** Moves under way towards each worker (reservations not yet claimed or expired). */
  async incomingCounts(workerIds: string[]): Promise<Map<string, number>> {
    if (workerIds.length === 0) return new Map();
    const prefix = this.config.REDIS_PREFIX;
    const pipeline = this.redis.pipeline();
    for (const id of workerIds) pipeline.zcount(redisKeys.workerIncoming(prefix, id), Date.now(), '+inf');
    const results = (await pipeline.exec()) ?? [];
    return new Map(workerIds.map((id, index) => [id, Number(results[index]?.[1] ?? 0)]));
  }

  /**
   * Takes one move from the cluster's budget of `perSecond` moves (bursts of up to one second's
   * worth): 0 when granted, else the ms until the next move may start.
   */
  async takeMoveToken(perSecond: number): Promise<number> {
    const burst = Math.max(1, perSecond);
    return Number(await this.redis.eval(TAKE_TOKEN, 1, redisKeys.moveTokens(this.config.REDIS_PREFIX), perSecond, burst));
  }

  /** Tells the receiver its session is free now, so it claims it without waiting for its next reconciliation. */
  async nudgeReceiver(workerId: string, sessionId: string): Promise<void> {
    await this.redis.publish(redisChannels.sessionAdopt(this.config.REDIS_PREFIX, workerId), sessionId);
  }
}

function parseReservation(value: string | null): SessionReservation | null {
  if (!value) return null;
  try {
    return JSON.parse(value) as SessionReservation;
  } catch {
    return null;
  }
}
