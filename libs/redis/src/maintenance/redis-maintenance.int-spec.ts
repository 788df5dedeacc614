import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { JOBS, QUEUES, redisKeys } from '@app/contracts';
import { isolatedPrefix, requiredEnv } from '../../../../test/support/test-env';
import { RedisCleaner } from './redis-cleaner';
import { analyzeRedisUsage } from './redis-usage.analyzer';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The Redis tools on a seeded prefix: one installation's keys of every family, some of them stale
 * (no TTL where every key must expire, expired registry entries, finished jobs past retention,
 * orphaned job data), the rest live. Analyze counts them; clean removes the stale ones only.
 */
describe('Redis tools (redis:analyze, redis:clean)', () => {
  const redis = new Redis(requiredEnv('REDIS_URL'));
  const prefix = isolatedPrefix('tools');
  const bull = redisKeys.bullRoot(prefix);
  const events = `${bull}:${QUEUES.sessionEvents}`;
  const live: string[] = [];
  const stale: string[] = [];
  let oldJobs: string[];
  let recentJobs: string[];

  /** Finished jobs of the session-events queue: `old` finished 8 days ago (past the 7-day retention), the rest just now. */
  async function finishedJobs(old: number, recent: number): Promise<void> {
    const queue = new Queue(QUEUES.sessionEvents, { connection: redis, prefix: bull });
    const jobs = await queue.addBulk(
      Array.from({ length: old + recent }, (_, index) => ({ name: JOBS.sessionStatusChanged, data: { index }, opts: { removeOnComplete: false } })),
    );
    const worker = new Worker(QUEUES.sessionEvents, async () => 'done', {
      connection: { url: requiredEnv('REDIS_URL'), maxRetriesPerRequest: null },
      prefix: bull,
    });
    while ((await queue.getCompletedCount()) < jobs.length) await new Promise((resolve) => setTimeout(resolve, 20));
    await worker.close();
    const ids = jobs.map((job) => job.id!);
    oldJobs = ids.slice(0, old);
    recentJobs = ids.slice(old);
    const longAgo = Date.now() - 8 * DAY;
    for (const id of oldJobs) await redis.multi().zadd(`${events}:completed`, longAgo, id).hset(`${events}:${id}`, 'finishedOn', longAgo).exec();
    await queue.close();
  }

  beforeAll(async () => {
    const now = Date.now();
    await redis
      .multi()
      .set(redisKeys.workerInfo(prefix, 'w-live'), '{}', 'PX', 60_000)
      .set(redisKeys.workerInfo(prefix, 'w-ghost'), '{}')
      .zadd(redisKeys.workerIndex(prefix), now + 60_000, 'w-live', now - 60_000, 'w-dead')
      .set(redisKeys.sessionLease(prefix, 'held'), 'w-live:n1', 'PX', 60_000)
      .set(redisKeys.sessionLease(prefix, 'stuck-live'), 'w-live:n2')
      .set(redisKeys.sessionLease(prefix, 'stuck-dead'), 'w-dead:n3')
      .hset(redisKeys.sendPacing(prefix, 's1'), 'last', now)
      .pexpire(redisKeys.sendPacing(prefix, 's1'), 60_000)
      .zadd(redisKeys.sendPacingLog(prefix, 's2'), now, 'm1')
      .hset(redisKeys.inboundProgress(prefix, 's1', '3EB0A'), 'history', 'done')
      .expire(redisKeys.inboundProgress(prefix, 's1', '3EB0A'), 3_600)
      .hset(redisKeys.inboundProgress(prefix, 's1', '3EB0B'), 'history', 'done')
      .set(`${redisKeys.rateLimit(prefix, 'default', 'ip:127.0.0.1')}:hits`, '3', 'PX', 60_000)
      .set(redisKeys.sessionKeyResync(prefix, 's1'), '1', 'PX', 60_000)
      .set(`${prefix}:something-else`, 'x')
      .hset(`${events}:orphan-1`, 'name', JOBS.sessionStatusChanged, 'data', '{}')
      .exec();
    live.push(
      redisKeys.workerInfo(prefix, 'w-live'),
      redisKeys.sessionLease(prefix, 'held'),
      redisKeys.sessionLease(prefix, 'stuck-live'),
      redisKeys.sendPacing(prefix, 's1'),
      redisKeys.inboundProgress(prefix, 's1', '3EB0A'),
      `${redisKeys.rateLimit(prefix, 'default', 'ip:127.0.0.1')}:hits`,
      redisKeys.sessionKeyResync(prefix, 's1'),
      `${prefix}:something-else`,
      redisKeys.workerIndex(prefix),
    );
    stale.push(
      redisKeys.workerInfo(prefix, 'w-ghost'),
      redisKeys.sessionLease(prefix, 'stuck-dead'),
      redisKeys.sendPacingLog(prefix, 's2'),
      redisKeys.inboundProgress(prefix, 's1', '3EB0B'),
      `${events}:orphan-1`,
    );
    await finishedJobs(3, 2);
  });

  afterAll(() => redis.quit());

  it('analyze counts keys, memory and keys without TTL per family', async () => {
    const report = await analyzeRedisUsage(redis, prefix);
    const family = (name: string) => report.families.find((entry) => entry.family === name);
    expect(family('worker-info')).toMatchObject({ keys: 2, withoutTtl: 1, expires: true });
    expect(family('worker-index')).toMatchObject({ keys: 1, withoutTtl: 1, expires: false });
    expect(family('session-lease')).toMatchObject({ keys: 3, withoutTtl: 2 });
    expect(family('send-pacing')).toMatchObject({ keys: 2, withoutTtl: 1 });
    expect(family('inbound-progress')).toMatchObject({ keys: 2, withoutTtl: 1 });
    expect(family('rate-limit')).toMatchObject({ keys: 1, withoutTtl: 0 });
    expect(family('session-key-resync')).toMatchObject({ keys: 1, withoutTtl: 0 });
    expect(family('other')).toMatchObject({ keys: 1, withoutTtl: 1 });
    // Five finished jobs (a hash each), the orphan, and the queue's own keys (completed set, id, meta, events…).
    expect(family(`bullmq:${QUEUES.sessionEvents}`)!.keys).toBeGreaterThanOrEqual(6 + 2);
    expect(report.families.every((entry) => entry.memoryBytes > 0)).toBe(true);
    expect(report.keys).toBe(report.families.reduce((sum, entry) => sum + entry.keys, 0));
    expect(report.families.map((entry) => entry.memoryBytes)).toEqual([...report.families.map((entry) => entry.memoryBytes)].sort((a, b) => b - a));
  });

  it('clean in dry-run mode tells what is stale and changes nothing', async () => {
    const keysBefore = (await analyzeRedisUsage(redis, prefix)).keys;
    const report = await new RedisCleaner(redis, { prefix, dryRun: true, jobRetentionMs: 7 * DAY }).clean();
    expect(report).toMatchObject({ dryRun: true, total: 9 });
    expect(report.removed).toEqual(
      expect.arrayContaining([
        { rule: 'expiredWorkers', family: 'worker-index', count: 1 },
        { rule: 'keysWithoutTtl', family: 'worker-info', count: 1 },
        { rule: 'keysWithoutTtl', family: 'session-lease', count: 1 },
        { rule: 'keysWithoutTtl', family: 'send-pacing', count: 1 },
        { rule: 'keysWithoutTtl', family: 'inbound-progress', count: 1 },
        { rule: 'finishedJobs', family: `bullmq:${QUEUES.sessionEvents}`, count: 3 },
        { rule: 'orphanedJobs', family: `bullmq:${QUEUES.sessionEvents}`, count: 1 },
      ]),
    );
    expect((await analyzeRedisUsage(redis, prefix)).keys).toBe(keysBefore);
    expect(await redis.exists(...stale)).toBe(stale.length);
  });

  it('clean removes exactly the stale keys, entries and jobs', async () => {
    const report = await new RedisCleaner(redis, { prefix, dryRun: false, jobRetentionMs: 7 * DAY }).clean();
    expect(report).toMatchObject({ dryRun: false, total: 9 });
    expect(await redis.exists(...stale)).toBe(0);
    expect(await redis.exists(...live)).toBe(live.length);
    expect(await redis.zrange(redisKeys.workerIndex(prefix), 0, -1)).toEqual(['w-live']);
    expect(await redis.zrange(`${events}:completed`, 0, -1)).toEqual(expect.arrayContaining(recentJobs));
    expect(await redis.zcard(`${events}:completed`)).toBe(recentJobs.length);
    expect(await redis.exists(...oldJobs.map((id) => `${events}:${id}`))).toBe(0);
    expect(await redis.exists(...recentJobs.map((id) => `${events}:${id}`))).toBe(recentJobs.length);
    // Nothing stale is left: a second run finds nothing.
    expect(await new RedisCleaner(redis, { prefix, dryRun: false, jobRetentionMs: 7 * DAY }).clean()).toMatchObject({ total: 0, removed: [] });
  });
});
