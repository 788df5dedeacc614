import { DynamicModule, Module, type Type } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { CoreConfig } from '@app/config';
import { DatabasePool } from './database-pool';
import { DatabaseProbe } from './database.probe';
import { PrismaService } from './prisma.service';
import { RowChangeFeed } from './row-changes/row-change.feed';
import { ROW_CACHE_OPTIONS, RowCaches, type RowCacheOptions } from './row-changes/row-caches';

/**
 * PostgreSQL access for one process. `forRoot` (once, in the app's module) provides the shared
 * infrastructure to every module: the pool, the Prisma client, the probe, the row-change feed and
 * row caches. With `rowCache`, repositories keep the sessions, users and credentials they read
 * until they change. `forFeature` gives a module the repositories it injects, and only those.
 */
@Module({})
export class DbModule {
  /**
   * One module per repository, shared by every `forFeature` naming it: Nest tells dynamic modules
   * apart by object, so a repository is instantiated once per process (one row cache, not one per
   * importing module).
   */
  private static readonly repositoryModules = new Map<Type, DynamicModule>();

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
    ];
    // The pool, Prisma and the caches are exported for the repositories `forFeature` provides.
    return { module: DbModule, global: true, providers, exports: [DatabasePool, PrismaService, RowCaches, DatabaseProbe, RowChangeFeed] };
  }

  /** The given repositories, for the importing module (needs `forRoot` in the app). */
  static forFeature(repositories: Type[]): DynamicModule {
    const modules = repositories.map((repository) => DbModule.repositoryModule(repository));
    return { module: DbModule, imports: modules, exports: modules };
  }

  private static repositoryModule(repository: Type): DynamicModule {
    let module = DbModule.repositoryModules.get(repository);
    if (!module) {
      module = { module: DbModule, providers: [repository], exports: [repository] };
      DbModule.repositoryModules.set(repository, module);
    }
    return module;
  }
}
