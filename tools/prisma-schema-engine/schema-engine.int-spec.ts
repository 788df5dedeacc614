/**
 * The offline schema-engine shim itself, against a real PostgreSQL server: the protocol details the
 * Prisma CLI relies on, and the database fixes of its adapter factory (see README.md).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import readline from 'node:readline';
import { Client } from 'pg';

const shimPath = path.join(__dirname, 'schema-engine.js');
const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** The slice of the adapter factory (plain JS, see lib/) that these tests use. */
interface SqlResult {
  columnNames: string[];
  columnTypes: number[];
  rows: unknown[][];
}
interface TestAdapter {
  queryRaw(query: { sql: string; args: unknown[]; argTypes: unknown[] }): Promise<SqlResult>;
  executeScript(script: string): Promise<void>;
  dispose(): Promise<void>;
}
interface TestFactory {
  connect(): Promise<TestAdapter>;
  connectToShadowDb(): Promise<TestAdapter>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS without type declarations; typed by the slice above
const { OfflinePgAdapterFactory } = require('./lib/pg-adapter-factory') as {
  OfflinePgAdapterFactory: new (datasource: { url: string; shadowDatabaseUrl?: string }) => TestFactory;
};
const TEXT_COLUMN = 7; // ColumnTypeEnum.Text in @prisma/driver-adapter-utils

const sql = (text: string) => ({ sql: text, args: [], argTypes: [] });

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const databaseExists = (name: string) => admin(async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);

const database = { name: `wagw_set_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`, url: '' };

beforeAll(async () => {
  await admin((client) => client.query(`CREATE DATABASE "${database.name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${database.name}`;
  database.url = url.toString();
});

afterAll(async () => {
  await admin((client) => client.query(`DROP DATABASE IF EXISTS "${database.name}" WITH (FORCE)`));
});

describe('adapter factory', () => {
  it('gives the shadow connection its own throwaway database and drops it on dispose', async () => {
    const shadow = await new OfflinePgAdapterFactory({ url: database.url }).connectToShadowDb();
    const [[shadowName]] = (await shadow.queryRaw(sql('SELECT current_database()'))).rows as string[][];

    expect(shadowName).not.toBe(database.name);
    expect(shadowName).toMatch(/^prisma_migrate_shadow_db_/);
    expect(await databaseExists(shadowName)).toBe(true);

    await shadow.dispose();
    expect(await databaseExists(shadowName)).toBe(false);
  });

  it('reads "char" catalog columns (OID 18) as text', async () => {
    const adapter = await new OfflinePgAdapterFactory({ url: database.url }).connect();
    try {
      const result = await adapter.queryRaw(sql("SELECT relkind, relname FROM pg_class WHERE relname = 'pg_class'"));
      expect(result.rows).toEqual([['r', 'pg_class']]);
      expect(result.columnTypes).toEqual([TEXT_COLUMN, TEXT_COLUMN]);
    } finally {
      await adapter.dispose();
    }
  });

  it('runs a script as one statement batch: $$ bodies survive and a failure applies nothing', async () => {
    const adapter = await new OfflinePgAdapterFactory({ url: database.url }).connect();
    try {
      await adapter.executeScript("CREATE FUNCTION semi() RETURNS text LANGUAGE sql AS $$ SELECT 'x;y' $$; CREATE TABLE kept (id int);");
      expect((await adapter.queryRaw(sql('SELECT semi()'))).rows).toEqual([['x;y']]);

      await expect(adapter.executeScript('CREATE TABLE dropped_with_failure (id int); SELECT * FROM missing_table;')).rejects.toBeDefined();
      expect((await adapter.queryRaw(sql("SELECT to_regclass('dropped_with_failure') IS NULL AS gone"))).rows).toEqual([[true]]);
    } finally {
      await adapter.dispose();
    }
  });
});

/** A shim process in JSON-RPC mode, with line-by-line access to what it writes. */
function startShim(url: string) {
  const child = spawn(process.execPath, [shimPath, '--datasource', JSON.stringify({ url })], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const waiters: Array<() => void> = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(JSON.parse(line) as Record<string, unknown>);
    waiters.splice(0).forEach((wake) => wake());
  });
  const nextMessage = async (): Promise<Record<string, unknown>> => {
    while (lines.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
    return lines.shift() as Record<string, unknown>;
  };
  const send = (message: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, nextMessage, send, exited };
}

describe('JSON-RPC server', () => {
  it('answers diff with a print request first (the CLI prints it), then the exit code', async () => {
    const shim = startShim(database.url);
    const schema = 'datasource db {\n  provider = "postgresql"\n}\n\nmodel Probe {\n  id Int @id\n}\n';
    shim.send({
      id: 1,
      method: 'diff',
      params: {
        from: { tag: 'empty' },
        to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schema }] },
        script: true,
        exitCode: true,
        filters: { externalTables: [], externalEnums: [] },
      },
    });

    const print = await shim.nextMessage();
    expect(print).toMatchObject({ method: 'print', params: { content: expect.stringContaining('CREATE TABLE "Probe"') } });
    shim.send({ id: print.id, result: {} });
    expect(await shim.nextMessage()).toEqual({ jsonrpc: '2.0', id: 1, result: { exitCode: 2 } });

    shim.child.stdin.end();
    expect(await shim.exited).toBe(0);
  });

  it('reports errors with the native shape (data.error_code, data.message)', async () => {
    const shim = startShim(database.url);
    shim.send({
      id: 7,
      method: 'createMigration',
      params: {
        draft: false,
        migrationName: 'x',
        migrationsList: { baseDir: '/nonexistent', lockfile: { path: 'migration_lock.toml', content: null }, shadowDbInitScript: '', migrationDirectories: [] },
        schema: { files: [{ path: 'schema.prisma', content: 'model {' }] },
        filters: { externalTables: [], externalEnums: [] },
      },
    });

    const response = await shim.nextMessage();
    expect(response).toMatchObject({ id: 7, error: { data: { is_panic: false, error_code: 'P1012', message: expect.any(String) } } });
    shim.child.stdin.end();
    await shim.exited;
  });
});

describe('one-shot commands', () => {
  const runOneShot = (url: string, command: string) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [shimPath, '--datasource', JSON.stringify({ url }), 'cli', command]);
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('exit', (code) => resolve({ code, stderr }));
    });

  it('reports a missing database as P1003 after a first (discarded) log line, and creates it', async () => {
    const missing = new URL(database.url);
    missing.pathname = `/${database.name}_new`;
    try {
      const check = await runOneShot(missing.toString(), 'can-connect-to-database');
      expect(check.code).toBe(1);
      const [, errorLine] = check.stderr.trim().split('\n');
      expect(JSON.parse(errorLine)).toMatchObject({ level: 'ERROR', target: 'schema_engine::logger', fields: { error_code: 'P1003' } });

      expect((await runOneShot(missing.toString(), 'create-database')).code).toBe(0);
      expect(await databaseExists(`${database.name}_new`)).toBe(true);
      expect((await runOneShot(missing.toString(), 'can-connect-to-database')).code).toBe(0);
    } finally {
      await admin((client) => client.query(`DROP DATABASE IF EXISTS "${database.name}_new" WITH (FORCE)`));
    }
  });
});
