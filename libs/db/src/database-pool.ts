import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Pool, type PoolConfig, type QueryResultRow } from 'pg';

/**
 * The process's one PostgreSQL connection pool, shared by Prisma (through its pg adapter) and by
 * the send path's statements, which run on `pg` directly: they are the hottest statements of the
 * suite and gain from skipping Prisma's query compiler and from named prepared statements. Only
 * repositories in this library use it.
 */
@Injectable()
export class DatabasePool extends Pool implements OnApplicationShutdown {
  constructor(config: PoolConfig) {
    super(config);
    // An idle connection that breaks (PostgreSQL restarted) is dropped by the pool and replaced on
    // the next query; without a listener the error event would end the process.
    this.on('error', () => undefined);
  }

  /** Runs a named prepared statement (parsed and planned once per connection). */
  async run<Row extends QueryResultRow>(name: string, text: string, values: unknown[]): Promise<Row[]> {
    return (await this.query<Row>({ name, text, values })).rows;
  }

  /** After every module's own shutdown (Prisma disconnects first, then the pool ends). */
  async onApplicationShutdown(): Promise<void> {
    if (!this.ended) await this.end();
  }
}
