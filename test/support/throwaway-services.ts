import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './free-port';

/**
 * Redis and PostgreSQL instances of a test's own, on ports of their own, so that a chaos test can
 * kill and restart them without touching the machine's services (or another test run's data).
 */

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} not ready within ${timeoutMs} ms`);
}

/** A redis-server without persistence: a kill loses every key, as the chaos test wants. */
export class ThrowawayRedis {
  private child?: ChildProcess;
  private port = 0;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port ||= await freePort();
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await until(
      async () =>
        execFileSync('redis-cli', ['-p', String(this.port), 'ping'])
          .toString()
          .trim() === 'PONG',
      10_000,
      'redis-server',
    );
  }

  /** kill -9: every key is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

/** The directory of PostgreSQL's server programs (initdb, pg_ctl) on this machine. */
function postgresBinDir(): string {
  const onPath = (process.env.PATH ?? '').split(':').find((dir) => existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb')));
  if (onPath) return onPath;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((version) => join(root, version, 'bin')).find((dir) => existsSync(join(dir, 'pg_ctl')));
  if (!found) throw new Error('PostgreSQL server programs (initdb, pg_ctl) not found on PATH or under /usr/lib/postgresql');
  return found;
}

/**
 * A throwaway PostgreSQL cluster in a temp directory (initdb, trust auth, fsync off). PostgreSQL
 * refuses to run as root, so under root (CI) it runs as the `postgres` OS user through runuser.
 */
export class ThrowawayPostgres {
  private readonly dir = mkdtempSync(join(tmpdir(), 'wagw-pg-'));
  private readonly bin = postgresBinDir();
  private port = 0;

  url(database = 'postgres'): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  private run(program: string, args: string[]): void {
    const command = join(this.bin, program);
    if (process.getuid?.() === 0) execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'ignore' });
    else execFileSync(command, args, { stdio: 'ignore' });
  }

  async init(): Promise<void> {
    this.port = await freePort();
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
      chownSync(this.dir, uid, gid);
    }
    chmodSync(this.dir, 0o700);
    this.run('initdb', ['-D', join(this.dir, 'data'), '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    await this.start();
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200`;
    this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-o', options, '-l', join(this.dir, 'server.log'), '-w', '-t', '60', 'start']);
    await until(
      async () => {
        const client = new Client({ connectionString: this.url() });
        await client.connect();
        await client.end();
        return true;
      },
      30_000,
      'PostgreSQL',
    );
  }

  /** Immediate shutdown: every server process aborts without a checkpoint, and the next start runs crash recovery. */
  crash(): void {
    this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  }

  async createDatabase(name: string): Promise<string> {
    const client = new Client({ connectionString: this.url() });
    await client.connect();
    await client.query(`CREATE DATABASE "${name}"`);
    await client.end();
    return this.url(name);
  }

  destroy(): void {
    try {
      this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Already stopped.
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
