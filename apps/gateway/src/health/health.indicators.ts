import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { DatabaseProbe } from '@app/db';
import { pingRedis, RedisClient, WorkerRegistryRepository } from '@app/redis';
import { PlacementCensus } from '../workers/placement-census.service';

/**
 * Readiness of what the gateway cannot serve without: PostgreSQL, Redis, a live session worker.
 * The workers' detail also says how many sessions wait for a worker with room (`unplaced`); that
 * is the cluster's capacity, not the gateway's readiness, so it does not make it unready.
 */
@Injectable()
export class GatewayHealthIndicators {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly databaseProbe: DatabaseProbe,
    private readonly redis: RedisClient,
    private readonly registry: WorkerRegistryRepository,
    private readonly census: PlacementCensus,
  ) {}

  async database(): Promise<HealthIndicatorResult> {
    return this.probe('database', () => withTimeout(this.databaseProbe.ping(), PROBE_TIMEOUT_MS, 'no answer from PostgreSQL'));
  }

  async redisServer(): Promise<HealthIndicatorResult> {
    return this.probe('redis', () => pingRedis(this.redis));
  }

  async workers(): Promise<HealthIndicatorResult> {
    const indicator = this.health.check('workers');
    try {
      const live = await this.registry.listLive();
      if (live.length === 0) return indicator.down({ live: 0, message: 'no session worker has a current heartbeat' });
      const placement = await this.census.summary().catch(() => null);
      if (!placement) return indicator.up({ live: live.length });
      return indicator.up({
        live: live.length,
        active: live.filter((worker) => worker.state === 'active').length,
        unplaced: placement.unplaced,
        ...(placement.unplaced > 0 ? { message: `${placement.unplaced} sessions wait for a worker: every live worker is full or draining` } : {}),
      });
    } catch {
      return indicator.down({ message: 'worker registry unreadable' });
    }
  }

  private async probe(key: string, ping: () => Promise<void>): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    try {
      await ping();
      return indicator.up();
    } catch {
      return indicator.down({ message: 'unreachable' });
    }
  }
}

/** A database that accepts connections but never answers must not hold /health (and its caller) up. */
const PROBE_TIMEOUT_MS = 2_000;

async function withTimeout(work: Promise<void>, timeoutMs: number, message: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), timeoutMs)))]);
  } finally {
    clearTimeout(timer);
  }
}
