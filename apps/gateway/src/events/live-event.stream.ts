import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { CoreConfig } from '@app/config';
import { redisKeys } from '@app/contracts';
import { RedisClient } from '@app/redis';
import type { StreamEntry } from './live-event.frames';

/** A Redis connection of its own for the blocking XREAD (a blocked connection serves nobody else). */
export const LIVE_EVENTS_BLOCKING_REDIS = Symbol('LIVE_EVENTS_BLOCKING_REDIS');

export interface StreamPosition {
  /** The id of the newest event ever appended, `0-0` before the first. */
  lastId: string;
  /** The oldest event still kept, null when none is. */
  firstId: string | null;
  /** Events kept, and ever appended: fewer kept than appended means some were trimmed (retention). */
  length: number;
  entriesAdded: number;
}

const EMPTY_STREAM: StreamPosition = { lastId: '0-0', firstId: null, length: 0, entriesAdded: 0 };

/** The gateway's reads of the live-events stream (the producers append with LiveEventPublisher). */
@Injectable()
export class LiveEventStream implements OnApplicationShutdown {
  private readonly key: string;

  constructor(
    private readonly redis: RedisClient,
    @Inject(LIVE_EVENTS_BLOCKING_REDIS) private readonly blocking: Redis,
    config: CoreConfig,
  ) {
    this.key = redisKeys.liveEvents(config.REDIS_PREFIX);
  }

  /** Needs Redis 7 (entries-added); a stream nobody appended to yet is empty. */
  async position(): Promise<StreamPosition> {
    let info: unknown[];
    try {
      info = (await this.redis.xinfo('STREAM', this.key)) as unknown[];
    } catch (error) {
      if (/no such key/i.test((error as Error).message)) return EMPTY_STREAM;
      throw error;
    }
    const field = (name: string): unknown => {
      const index = info.indexOf(name);
      return index >= 0 ? info[index + 1] : undefined;
    };
    const firstEntry = field('first-entry') as [string, string[]] | null | undefined;
    const lastId = field('last-generated-id');
    return {
      lastId: typeof lastId === 'string' ? lastId : '0-0',
      firstId: firstEntry ? firstEntry[0] : null,
      length: Number(field('length') ?? 0),
      entriesAdded: Number(field('entries-added') ?? 0),
    };
  }

  /** Up to `count` entries after `id` (exclusive), oldest first. */
  async after(id: string, count: number): Promise<StreamEntry[]> {
    return await this.redis.xrange(this.key, `(${id}`, '+', 'COUNT', count);
  }

  /** Entries after `id`, waiting up to `blockMs` for the first; empty when none came. */
  async waitAfter(id: string, blockMs: number, count: number): Promise<StreamEntry[]> {
    const result = await this.blocking.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', this.key, id);
    return result?.[0]?.[1] ?? [];
  }

  onApplicationShutdown(): void {
    // Ends a blocked XREAD at once; the reader stops on the error it gets.
    this.blocking.disconnect();
  }
}
