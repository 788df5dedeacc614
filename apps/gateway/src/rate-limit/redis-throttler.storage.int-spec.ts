import { RedisClient, redisOptionsFromUrl } from '@app/redis';
import { isolatedPrefix, requiredEnv } from '../../../../test/support/test-env';
import { RedisThrottlerStorage } from './redis-throttler.storage';

describe('RedisThrottlerStorage', () => {
  const redis = new RedisClient(redisOptionsFromUrl(requiredEnv('REDIS_URL')));
  const prefix = isolatedPrefix('throttler-storage');
  const storage = new RedisThrottlerStorage(redis, prefix);

  afterAll(() => redis.quit());

  it('counts hits in a fixed window and reports the time left', async () => {
    const first = await storage.increment('window', 10_000, 2, 0, 'api');
    expect(first).toEqual({ totalHits: 1, timeToExpire: 10, isBlocked: false, timeToBlockExpire: 0 });
    expect((await storage.increment('window', 10_000, 2, 0, 'api')).isBlocked).toBe(false);
    const third = await storage.increment('window', 10_000, 2, 0, 'api');
    expect(third).toMatchObject({ totalHits: 3, isBlocked: true });
    expect(third.timeToBlockExpire).toBe(third.timeToExpire);
  });

  it('starts a new window when the old one expires', async () => {
    await storage.increment('short', 300, 1, 0, 'api');
    expect((await storage.increment('short', 300, 1, 0, 'api')).isBlocked).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await storage.increment('short', 300, 1, 0, 'api')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('blocks for blockDuration once over the limit, then starts afresh', async () => {
    await storage.increment('blocking', 10_000, 1, 300, 'api');
    expect(await storage.increment('blocking', 10_000, 1, 300, 'api')).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
    expect((await storage.increment('blocking', 10_000, 1, 300, 'api')).isBlocked).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await storage.increment('blocking', 10_000, 1, 300, 'api')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('keeps throttlers and keys apart, under the prefix, with expiring keys', async () => {
    await storage.increment('same', 10_000, 5, 0, 'api');
    expect((await storage.increment('same', 10_000, 5, 0, 'login')).totalHits).toBe(1);
    const keys = await redis.keys(`${prefix}:rate-limit:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(await redis.pttl(key)).toBeGreaterThan(0);
  });

  it('is atomic under concurrent hits', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => storage.increment('burst', 10_000, 20, 0, 'api')));
    expect(results.filter((result) => !result.isBlocked)).toHaveLength(20);
    expect(results.map((result) => result.totalHits).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});
