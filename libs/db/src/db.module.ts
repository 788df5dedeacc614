import { DynamicModule, Module } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { CoreConfig } from '@app/config';
import { DatabasePool } from './database-pool';
import { DatabaseProbe } from './database.probe';
import { PrismaService } from './prisma.service';
import { REPOSITORIES } from './repositories';
import { RowChangeFeed } from './row-changes/row-change.feed';
import { ROW_CACHE_OPTIONS, RowCaches, type RowCacheOptions } from './row-changes/row-caches';

/**
 * PostgreSQL access for one process: the Prisma client and a repository per aggregate. With
 * `rowCache`, repositories keep the sessions, users and credentials they read until they change.
 */
@Module({})
export class DbModule {
  static forRoot(options: { rowCache?: RowCacheOptions } = {}): DynamicModule {
    const providers = [
      { provide: ROW_CACHE_OPTIONS, useValue: options.rowCache ?? null },
      RowCaches,
      {
        provide: DatabasePool,
        inject: [CoreConfig],
        useFactory: (config: CoreConfig) => new DatabasePool({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE }),
      },
      {
        provide: PrismaService,
        inject: [DatabasePool],
        useFactory: (pool: DatabasePool) =>
          new PrismaService({
            adapter: new PrismaPg(pool),
            // A transaction waits for a free connection rather than fail while a burst holds them all.
            transactionOptions: { maxWait: 10_000 },
          }),
      },
      DatabaseProbe,
      RowChangeFeed,
      ...REPOSITORIES,
    ];
    return { module: DbModule, global: true, providers, exports: [DatabaseProbe, RowChangeFeed, ...REPOSITORIES] };
  }
}
