import type Redis from 'ioredis';
import { classifyKey, scanKeys } from './redis-key-families';

export interface FamilyUsage {
  family: string;
  keys: number;
  /** MEMORY USAGE summed over the family's keys. */
  memoryBytes: number;
  /** Keys with no expiry. */
  withoutTtl: number;
  /** The family's keys should all expire: every one in `withoutTtl` is stale (redis:clean removes it). */
  expires: boolean;
}

export interface RedisUsageReport {
  prefix: string;
  keys: number;
  memoryBytes: number;
  withoutTtl: number;
  /** Largest first. */
  families: FamilyUsage[];
}

/**
 * Seed 000's `redis:analyze`: what one installation (REDIS_PREFIX) keeps in Redis, per key family
 * (libs/contracts REDIS_KEY_FAMILIES, one family per BullMQ queue, `other` for the rest): key
 * count, memory, and keys without a TTL. Reads only.
 */
export async function analyzeRedisUsage(redis: Redis, prefix: string): Promise<RedisUsageReport> {
  const families = new Map<string, FamilyUsage>();
  for await (const keys of scanKeys(redis, `${prefix}:*`)) {
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.memory('USAGE', key).pttl(key);
    const answers = (await pipeline.exec()) ?? [];
    keys.forEach((key, index) => {
      const memory = answers[index * 2]?.[1] as number | null;
      const pttl = answers[index * 2 + 1]?.[1] as number;
      // Gone between the scan and the look (expired meanwhile).
      if (memory === null || pttl === -2) return;
      const { family, expires } = classifyKey(prefix, key);
      const usage = families.get(family) ?? { family, keys: 0, memoryBytes: 0, withoutTtl: 0, expires };
      usage.keys += 1;
      usage.memoryBytes += memory;
      if (pttl === -1) usage.withoutTtl += 1;
      families.set(family, usage);
    });
  }
  const list = [...families.values()].sort((a, b) => b.memoryBytes - a.memoryBytes || a.family.localeCompare(b.family));
  return {
    prefix,
    keys: list.reduce((sum, family) => sum + family.keys, 0),
    memoryBytes: list.reduce((sum, family) => sum + family.memoryBytes, 0),
    withoutTtl: list.reduce((sum, family) => sum + family.withoutTtl, 0),
    families: list,
  };
}
