import { Injectable } from '@nestjs/common';
import { CoreConfig } from '@app/config';
import { redisKeys, workerInfoOf, type WorkerInfo } from '@app/contracts';
import { RedisClient } from './redis-client';

/**
 * Live session workers in Redis. Each worker keeps its self-description fresh with heartbeats;
 * the index's scores are expiry times, so a worker that stops heartbeating (kill -9) drops out
 * of `listLive` after its TTL without anyone cleaning up after it.
 */
@Injectable()
export class WorkerRegistryRepository {
  constructor(
    private readonly redis: RedisClient,
    private readonly config: CoreConfig,
  ) {}

  async heartbeat(info: WorkerInfo, ttlMs: number): Promise<void> {
    const prefix = this.config.REDIS_PREFIX;
    const expiresAt = Date.now() + ttlMs;
    await this.redis
      .multi()
      .set(redisKeys.workerInfo(prefix, info.id), JSON.stringify(info), 'PX', ttlMs)
      .zadd(redisKeys.workerIndex(prefix), expiresAt, info.id)
      .zremrangebyscore(redisKeys.workerIndex(prefix), '-inf', Date.now())
      .exec();
  }

  async remove(workerId: string): Promise<void> {
    const prefix = this.config.REDIS_PREFIX;
    await this.redis.multi().del(redisKeys.workerInfo(prefix, workerId)).zrem(redisKeys.workerIndex(prefix), workerId).exec();
  }

  /** Ids of the workers whose heartbeat has not expired. */
  liveIds(): Promise<string[]> {
    return this.redis.zrangebyscore(redisKeys.workerIndex(this.config.REDIS_PREFIX), Date.now(), '+inf');
  }

  async listLive(): Promise<WorkerInfo[]> {
    const prefix = this.config.REDIS_PREFIX;
    const ids = await this.liveIds();
    if (ids.length === 0) return [];
    const entries = await this.redis.mget(ids.map((id) => redisKeys.workerInfo(prefix, id)));
    return entries
      .filter((entry): entry is string => entry !== null)
      .map((entry) => workerInfoOf(JSON.parse(entry) as WorkerInfo))
      .sort((a, b) => a.id.localeCompare(b.id));
  }
}
