import { DynamicModule, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { CoreConfig } from '@app/config';
import { redisKeys } from '@app/contracts';
import { LiveEventPublisher } from './live-events/live-event.publisher';
import { RedisClient } from './redis-client';
import { redisOptionsFromUrl } from './redis-options';
import { SessionLeaseRepository } from './session-lease.repository';
import { WorkerRegistryRepository } from './worker-registry.repository';

/**
 * Redis for one process: a shared client, BullMQ's root connection and the live-events publisher. Every BullMQ key lives
 * under `<REDIS_PREFIX>:bull` so installations (and test runs) sharing a Redis stay apart.
 */
@Module({})
export class RedisModule {
  static forRoot(): DynamicModule {
    const client = {
      provide: RedisClient,
      inject: [CoreConfig],
      // Auto-pipelining: commands issued in the same tick (many sessions' leases, pacing, routing)
      // share one socket write instead of one each.
      useFactory: (config: CoreConfig) =>
        new RedisClient({ ...redisOptionsFromUrl(config.REDIS_URL), connectionName: 'wagw-shared', enableAutoPipelining: true }),
    };
    const bull = BullModule.forRootAsync({
      inject: [CoreConfig],
      useFactory: (config: CoreConfig) => ({
        connection: { url: config.REDIS_URL, maxRetriesPerRequest: null },
        prefix: redisKeys.bullRoot(config.REDIS_PREFIX),
      }),
    });
    return {
      module: RedisModule,
      global: true,
      imports: [bull],
      providers: [client, WorkerRegistryRepository, SessionLeaseRepository, LiveEventPublisher],
      exports: [client, bull, WorkerRegistryRepository, SessionLeaseRepository, LiveEventPublisher],
    };
  }
}
