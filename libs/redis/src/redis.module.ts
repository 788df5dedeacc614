import { DynamicModule, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { CoreConfig } from '@app/config';
import { redisKeys } from '@app/contracts';
import { LiveEventPublisher } from './live-events/live-event.publisher';
import { RedisClient } from './redis-client';
import { redisOptionsFromUrl } from './redis-options';
import { SessionLeaseRepository } from './session-lease.repository';
import { SessionMovesRepository } from './session-moves.repository';
import { WorkerRegistryRepository } from './worker-registry.repository';

/**
 * Redis for one process: a shared client, BullMQ's root connection and the live-events publisher. Every BullMQ key lives
 * under `<REDIS_PREFIX>:bull` so installations (and test runs) sharing a Redis stay apart.
 */
export interface RedisModuleOptions {
  /**
   * For processes that answer requests and run no BullMQ worker (the gateway): while Redis is
   * unreachable a command fails after one reconnection attempt (the request answers 503 at once)
   * instead of waiting through ioredis' default 20 (about 10 s per request).
   */
  failFast?: boolean;
}

@Module({})
export class RedisModule {
  static forRoot(options: RedisModuleOptions = {}): DynamicModule {
    const retries = options.failFast ? { maxRetriesPerRequest: 1 } : {};
    const client = {
      provide: RedisClient,
      inject: [CoreConfig],
      // Auto-pipelining: commands issued in the same tick (many sessions' leases, pacing, routing)
      // share one socket write instead of one each.
      useFactory: (config: CoreConfig) =>
        new RedisClient({ ...redisOptionsFromUrl(config.REDIS_URL), connectionName: 'wagw-shared', enableAutoPipelining: true, ...retries }),
    };
    const bull = BullModule.forRootAsync({
      inject: [CoreConfig],
      useFactory: (config: CoreConfig) => ({
        // BullMQ workers need unlimited retries; queues that only add jobs may give up like the shared client.
        connection: { url: config.REDIS_URL, maxRetriesPerRequest: options.failFast ? 1 : null },
        prefix: redisKeys.bullRoot(config.REDIS_PREFIX),
      }),
    });
    return {
      module: RedisModule,
      global: true,
      imports: [bull],
      providers: [client, WorkerRegistryRepository, SessionLeaseRepository, SessionMovesRepository, LiveEventPublisher],
      exports: [client, bull, WorkerRegistryRepository, SessionLeaseRepository, SessionMovesRepository, LiveEventPublisher],
    };
  }
}
