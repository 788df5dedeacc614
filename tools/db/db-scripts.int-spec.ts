/**
 * The db:* scripts against a real PostgreSQL server, end to end through the Prisma CLI and the
 * offline schema engine (no native engine, no network). Every test works on its own throwaway
 * database; tests that need other migrations or another schema work on a temporary copy of the
 * project's prisma files, so the repository is never modified.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

const repoRoot = path.resolve(__dirname, '..', '..');
const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and reports its exit code and output (never throws on failure). */
function run(command: string, args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: options.cwd ?? repoRoot, env: options.env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The environment of a script run: the test's database, and the engine chosen by prisma.config.ts. */
function envFor(databaseUrl: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, DATABASE_URL: databaseUrl };
  delete env.PRISMA_SCHEMA_ENGINE_BINARY;
  return env;
}

const npmRun = (script: string, databaseUrl: string, args: string[] = [], cwd = repoRoot) =>
  run('npm', ['run', '--silent', script, ...(args.length > 0 ? ['--', ...args] : [])], { cwd, env: envFor(databaseUrl) });

// ------------------------------------------------------------------ throwaway databases

const createdDatabases: string[] = [];

function throwawayDatabase(label: string): { name: string; url: string } {
  const name = `wagw_dbt_${label}_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  createdDatabases.push(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

async function withClient<T>(connectionUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: connectionUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const query = async (connectionUrl: string, sql: string): Promise<Record<string, unknown>[]> =>
  withClient(connectionUrl, async (client) => (await client.query(sql)).rows);

const databaseExists = async (name: string): Promise<boolean> =>
  withClient(adminUrl, async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);

const publicTables = async (connectionUrl: string): Promise<string[]> =>
  (await query(connectionUrl, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).map((row) => String(row.tablename));

afterAll(async () => {
  await withClient(adminUrl, async (client) => {
    for (const name of createdDatabases) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
});

// ------------------------------------------------------------------ temporary project copies

const temporaryDirs: string[] = [];

/**
 * A copy of the project's Prisma files (config, schema, migrations, package.json for the scripts)
 * in a temp directory; node_modules and tools (scripts, engine shim) are linked.
 */
function projectCopy(): { dir: string; migrationsDir: string; schemaPath: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'wagw-prisma-'));
  temporaryDirs.push(dir);
  for (const entry of ['prisma.config.ts', 'package.json', 'prisma']) cpSync(path.join(repoRoot, entry), path.join(dir, entry), { recursive: true });
  for (const entry of ['node_modules', 'tools']) symlinkSync(path.join(repoRoot, entry), path.join(dir, entry), 'dir');
  return { dir, migrationsDir: path.join(dir, 'prisma', 'migrations'), schemaPath: path.join(dir, 'prisma', 'schema.prisma') };
}

function addMigration(migrationsDir: string, name: string, sql: string): void {
  mkdirSync(path.join(migrationsDir, name));
  writeFileSync(path.join(migrationsDir, name, 'migration.sql'), sql);
}

afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

/** Table names the schema maps its models to (`@@map("…")`), plus Prisma's history table. */
function expectedTables(): string[] {
  const schema = readFileSync(path.join(repoRoot, 'prisma', 'schema.prisma'), 'utf8');
  const mapped = [...schema.matchAll(/^\s*@@map\("([^"]+)"\)/gm)].map((match) => match[1]);
  return [...mapped, '_prisma_migrations'].sort();
}

const repoMigrations = (): string[] => readdirSync(path.join(repoRoot, 'prisma', 'migrations')).sort();

// ------------------------------------------------------------------ tests

describe('db:migrate and db:check on the repository migrations', () => {
  const database = throwawayDatabase('main');

  it('db:migrate creates the missing database and every table, quietly', async () => {
    expect(await databaseExists(database.name)).toBe(false);

    const result = await npmRun('db:migrate', database.url);

    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1); // one summary line, nothing else
    expect(result.stdout).toMatch(/applied \d+ migration\(s\): \d+_init/);
    expect(await databaseExists(database.name)).toBe(true);
    expect(await publicTables(database.url)).toEqual(expectedTables());
  }, 90_000);

  it('db:migrate prints nothing when the database is already up to date', async () => {
    const result = await npmRun('db:migrate', database.url);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
  }, 90_000);

  it('db:check exits 0 with one OK line afterwards', async () => {
    const result = await npmRun('db:check', database.url);

    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^db:check: OK/)]);
  }, 90_000);

  it('db:check fails and says "drift" when a column was altered by hand', async () => {
    await query(database.url, 'ALTER TABLE "users" ALTER COLUMN "name" DROP NOT NULL');

    const result = await npmRun('db:check', database.url);

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('drift');
    expect(result.stderr).toMatch(/Changed the `users` table[\s\S]*Altered column `name`/);
  }, 90_000);
});

describe('db:check with a pending migration', () => {
  it('names the pending migration, which db:migrate then applies ($$ bodies intact)', async () => {
    const project = projectCopy();
    const database = throwawayDatabase('pending');
    expect((await npmRun('db:migrate', database.url, [], project.dir)).code).toBe(0);
    // A function body full of ";" — the script must reach PostgreSQL in one piece.
    addMigration(
      project.migrationsDir,
      '29990101000000_add_touch_function',
      'CREATE FUNCTION "touch_probe"() RETURNS text LANGUAGE plpgsql AS $$\nDECLARE x text;\nBEGIN\n  x := \'a;b\';\n  RETURN x;\nEND;\n$$;\n',
    );

    const pending = await npmRun('db:check', database.url, [], project.dir);
    expect(pending.code).not.toBe(0);
    expect(pending.stderr).toContain('pending');
    expect(pending.stderr).toContain('29990101000000_add_touch_function');

    const migrate = await npmRun('db:migrate', database.url, [], project.dir);
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toContain('29990101000000_add_touch_function');
    expect(await query(database.url, 'SELECT "touch_probe"() AS value')).toEqual([{ value: 'a;b' }]);
    expect((await npmRun('db:check', database.url, [], project.dir)).code).toBe(0);
  }, 120_000);
});

describe('db:migrate with a failing migration', () => {
  it('exits non-zero, reports P3018 with the migration and the database error, and applies nothing of it', async () => {
    const project = projectCopy();
    const database = throwawayDatabase('failing');
    addMigration(
      project.migrationsDir,
      '29990101000000_broken',
      'CREATE TABLE "half_applied" ("id" INTEGER);\nALTER TABLE "no_such_table" ADD COLUMN "x" INTEGER;\n',
    );

    const result = await npmRun('db:migrate', database.url, [], project.dir);

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('db:migrate failed');
    expect(result.stderr).toContain('P3018');
    expect(result.stderr).toContain('Migration name: 29990101000000_broken');
    expect(result.stderr).toContain('no_such_table');
    const tables = await publicTables(database.url);
    expect(tables).toContain('users'); // the init migration before it was applied
    expect(tables).not.toContain('half_applied'); // the failed script left nothing behind

    const check = await npmRun('db:check', database.url, [], project.dir);
    expect(check.code).not.toBe(0);
    expect(check.stderr).toContain('29990101000000_broken');
  }, 120_000);
});

describe('db:migrate:create', () => {
  it('creates a migration from a schema change (offline), without applying it or touching the repository', async () => {
    const before = repoMigrations();
    const project = projectCopy();
    const database = throwawayDatabase('create');
    writeFileSync(
      project.schemaPath,
      `${readFileSync(project.schemaPath, 'utf8')}\nmodel ProbeThing {\n  id    Int    @id\n  label String\n\n  @@map("probe_things")\n}\n`,
    );

    const result = await npmRun('db:migrate:create', database.url, ['--name', 'add_probe_things'], project.dir);

    expect(result.code).toBe(0);
    const created = readdirSync(project.migrationsDir).filter((name) => name.endsWith('_add_probe_things'));
    expect(created).toHaveLength(1);
    const sql = readFileSync(path.join(project.migrationsDir, created[0], 'migration.sql'), 'utf8');
    expect(sql).toContain('CREATE TABLE "probe_things"');
    expect(sql).not.toContain('CREATE TABLE "users"'); // only the change, on top of the existing history
    expect(await publicTables(database.url)).not.toContain('probe_things'); // --create-only: not applied
    expect(repoMigrations()).toEqual(before);
    expect(existsSync(path.join(repoRoot, 'prisma', 'migrations', created[0]))).toBe(false);
  }, 120_000);
});
