import type Redis from 'ioredis';
import { QUEUES, REDIS_KEY_FAMILIES, redisKeys } from '@app/contracts';

/** Names BullMQ gives a queue's own keys (`<root>:<queue>:<name>`); any other single segment is a job id. */
export const BULL_QUEUE_KEY_NAMES: ReadonlySet<string> = new Set([
  '',
  'active',
  'wait',
  'waiting-children',
  'paused',
  'id',
  'delayed',
  'prioritized',
  'stalled-check',
  'completed',
  'failed',
  'stalled',
  'repeat',
  'limiter',
  'meta',
  'events',
  'pc',
  'marker',
  'de',
]);

export const KNOWN_QUEUES: readonly string[] = Object.values(QUEUES);

export interface KeyClass {
  /** A REDIS_KEY_FAMILIES family, `bullmq:<queue>`, or `other` (under the prefix, made by nothing this version knows). */
  family: string;
  /** Every key of the family is written with a TTL: one without is stale. */
  expires: boolean;
}

/** Which family a key under `<prefix>:` belongs to. */
export function classifyKey(prefix: string, key: string): KeyClass {
  const path = key.slice(prefix.length + 1);
  const bullRoot = redisKeys.bullRoot(prefix);
  if (key.startsWith(`${bullRoot}:`)) return { family: `bullmq:${key.slice(bullRoot.length + 1).split(':')[0]}`, expires: false };
  const known = REDIS_KEY_FAMILIES.find((candidate) => candidate.path.test(path));
  return known ? { family: known.family, expires: known.expires } : { family: 'other', expires: false };
}

/** Every key matching the glob `pattern`, in SCAN batches. */
export async function* scanKeys(redis: Redis, pattern: string): AsyncGenerator<string[]> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
    cursor = next;
    if (keys.length > 0) yield keys;
  } while (cursor !== '0');
}
