import type { ThrottlerStorage } from '@nestjs/throttler';
import { redisKeys } from '@app/contracts';
import { luaScript, type RedisClient } from '@app/redis';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * One hit, atomically: count it in the key's fixed window, and block when the count passes the
 * limit. KEYS: hit counter, block marker. ARGV: window ms, limit, block ms (0 = over the limit
 * only until the window ends). Returns hits, window ms left, blocked (0/1), block ms left.
 */
const HIT_SCRIPT = luaScript(`
local blockLeft = redis.call('PTTL', KEYS[2])
if blockLeft > 0 then
  return {tonumber(ARGV[2]) + 1, blockLeft, 1, blockLeft}
end
local hits = redis.call('INCR', KEYS[1])
local windowLeft = redis.call('PTTL', KEYS[1])
if windowLeft < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  windowLeft = tonumber(ARGV[1])
end
if hits <= tonumber(ARGV[2]) then
  return {hits, windowLeft, 0, 0}
end
local blockMs = tonumber(ARGV[3])
if blockMs > 0 then
  redis.call('SET', KEYS[2], '1', 'PX', blockMs)
  redis.call('DEL', KEYS[1])
  return {hits, blockMs, 1, blockMs}
end
return {hits, windowLeft, 1, windowLeft}
`);

const toSeconds = (ms: number): number => Math.max(0, Math.ceil(ms / 1_000));

/**
 * @nestjs/throttler storage in Redis, so every gateway replica counts against the same limit.
 * Keys live under `<REDIS_PREFIX>:rate-limit:` and expire with their window.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    // The hash tag keeps both keys in one Redis Cluster slot, as a script needs.
    const base = redisKeys.rateLimit(this.prefix, throttlerName, key);
    const [hits, windowLeft, blocked, blockLeft] = await this.hit([`${base}:hits`, `${base}:block`], [ttl, limit, blockDuration]);
    return { totalHits: hits, timeToExpire: toSeconds(windowLeft), isBlocked: blocked === 1, timeToBlockExpire: toSeconds(blockLeft) };
  }

  private async hit(keys: string[], args: number[]): Promise<[number, number, number, number]> {
    return (await this.redis.runScript(HIT_SCRIPT, keys, args)) as [number, number, number, number];
  }
}
