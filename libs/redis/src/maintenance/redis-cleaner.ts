import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { redisKeys } from '@app/contracts';
import { BULL_QUEUE_KEY_NAMES, classifyKey, KNOWN_QUEUES, scanKeys } from './redis-key-families';

/** What redis:clean removes, rule by rule. */
export const CLEAN_RULES = {
  expiredWorkers: 'workers the registry index still lists after their heartbeat expired',
  keysWithoutTtl: 'keys of families that always expire but have no TTL (leases only when their worker is gone)',
  finishedJobs: 'completed and failed BullMQ jobs finished before the retention period',
  orphanedJobs: 'BullMQ job data no state of its queue refers to',
} as const;
export type CleanRule = keyof typeof CLEAN_RULES;

export interface CleanOptions {
  prefix: string;
  /** Count what would go, change nothing. */
  dryRun: boolean;
  /** Finished BullMQ jobs older than this go. */
  jobRetentionMs: number;
}

export interface CleanCount {
  rule: CleanRule;
  family: string;
  count: number;
}

export interface CleanReport {
  prefix: string;
  dryRun: boolean;
  /** One line per rule and family with something stale. */
  removed: CleanCount[];
  total: number;
}

/**
 * Seed 000's `redis:clean`: removes what is stale under one installation's prefix and nothing
 * else (CLEAN_RULES). Keys that expire by themselves are left to Redis; only what would otherwise
 * stay forever goes, and finished jobs past the retention period.
 */
export class RedisCleaner {
  private readonly counts = new Map<string, CleanCount>();

  constructor(
    private readonly redis: Redis,
    private readonly options: CleanOptions,
  ) {}

  async clean(): Promise<CleanReport> {
    this.counts.clear();
    const now = Date.now();
    await this.expiredWorkers(now);
    await this.keysWithoutTtl(now);
    for (const name of KNOWN_QUEUES) {
      // A tool looking at queues writes nothing of its own into them (BullMQ would record its version).
      const queue = new Queue(name, { connection: this.redis, prefix: redisKeys.bullRoot(this.options.prefix), skipMetasUpdate: true });
      try {
        await this.finishedJobs(queue, now);
        await this.orphanedJobs(queue);
      } finally {
        await queue.close();
      }
    }
    const removed = [...this.counts.values()];
    return { prefix: this.options.prefix, dryRun: this.options.dryRun, removed, total: removed.reduce((sum, entry) => sum + entry.count, 0) };
  }

  private async expiredWorkers(now: number): Promise<void> {
    const index = redisKeys.workerIndex(this.options.prefix);
    const expired = await this.redis.zcount(index, '-inf', `(${now}`);
    if (expired > 0 && !this.options.dryRun) await this.redis.zremrangebyscore(index, '-inf', `(${now}`);
    this.count('expiredWorkers', 'worker-index', expired);
  }

  private async keysWithoutTtl(now: number): Promise<void> {
    const { prefix } = this.options;
    const live = new Set(await this.redis.zrangebyscore(redisKeys.workerIndex(prefix), now, '+inf'));
    for await (const keys of scanKeys(this.redis, `${prefix}:*`)) {
      const candidates = keys.map((key) => ({ key, ...classifyKey(prefix, key) })).filter((entry) => entry.expires);
      if (candidates.length === 0) continue;
      const ttls = await Promise.all(candidates.map(({ key }) => this.redis.pttl(key)));
      const withoutTtl = candidates.filter((_, index) => ttls[index] === -1);
      const stale: typeof withoutTtl = [];
      for (const entry of withoutTtl) {
        // A lease is `<workerId>:<nonce>`: one held by a live worker is in use, however it lost its TTL.
        const holder = entry.family === 'session-lease' ? ((await this.redis.get(entry.key)) ?? '').split(':')[0] : null;
        if (holder === null || !live.has(holder)) stale.push(entry);
      }
      if (stale.length > 0 && !this.options.dryRun) await this.redis.del(...stale.map(({ key }) => key));
      for (const { family } of stale) this.count('keysWithoutTtl', family, 1);
    }
  }

  private async finishedJobs(queue: Queue, now: number): Promise<void> {
    const cutoff = now - this.options.jobRetentionMs;
    for (const state of ['completed', 'failed'] as const) {
      const key = `${redisKeys.bullRoot(this.options.prefix)}:${queue.name}:${state}`;
      const due = await this.redis.zcount(key, '-inf', cutoff);
      if (due > 0 && !this.options.dryRun) await queue.clean(this.options.jobRetentionMs, 0, state);
      this.count('finishedJobs', `bullmq:${queue.name}`, due);
    }
  }

  /** A job hash (with its logs) in no list or set of its queue: left behind by an interrupted removal. */
  private async orphanedJobs(queue: Queue): Promise<void> {
    const root = `${redisKeys.bullRoot(this.options.prefix)}:${queue.name}:`;
    for await (const keys of scanKeys(this.redis, `${root}*`)) {
      const jobIds = keys.map((key) => key.slice(root.length)).filter((name) => !name.includes(':') && !BULL_QUEUE_KEY_NAMES.has(name));
      for (const jobId of jobIds) {
        if ((await queue.getJobState(jobId)) !== 'unknown') continue;
        if (!this.options.dryRun) await this.redis.del(`${root}${jobId}`, `${root}${jobId}:logs`);
        this.count('orphanedJobs', `bullmq:${queue.name}`, 1);
      }
    }
  }

  private count(rule: CleanRule, family: string, count: number): void {
    if (count === 0) return;
    const key = `${rule}|${family}`;
    const entry = this.counts.get(key) ?? { rule, family, count: 0 };
    entry.count += count;
    this.counts.set(key, entry);
  }
}
