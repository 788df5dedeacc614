import { execFileSync } from 'node:child_process';
import { Client } from 'pg';

const adminUrl = (): string => process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const testDatabaseName = (runId: string): string => `wagw_${runId}`;

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database for this run, applies the project's migrations, returns its URL. */
export async function createTestDatabase(runId: string): Promise<string> {
  const name = testDatabaseName(runId);
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  execFileSync('npm', ['run', '--silent', 'db:migrate'], {
    env: { ...process.env, DATABASE_URL: url.toString() },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return url.toString();
}

export async function dropTestDatabase(runId: string): Promise<void> {
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${testDatabaseName(runId)}" WITH (FORCE)`));
}
