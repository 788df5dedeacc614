import { DynamicModule, Module } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { CoreConfig } from '@app/config';
import { PrismaService } from './prisma.service';
import { DatabaseProbe } from './database.probe';
import { REPOSITORIES } from './repositories';

/** PostgreSQL access for one process: the Prisma client and a repository per aggregate. */
@Module({})
export class DbModule {
  static forRoot(): DynamicModule {
    const providers = [
      {
        provide: PrismaService,
        inject: [CoreConfig],
        useFactory: (config: CoreConfig) =>
          new PrismaService({
            adapter: new PrismaPg({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE }),
            // A transaction waits for a free connection rather than fail while a burst holds them all.
            transactionOptions: { maxWait: 10_000 },
          }),
      },
      DatabaseProbe,
      ...REPOSITORIES,
    ];
    return { module: DbModule, global: true, providers, exports: [DatabaseProbe, ...REPOSITORIES] };
  }
}
