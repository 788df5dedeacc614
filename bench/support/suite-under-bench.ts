import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { WaSimClient, WaSimRequestError } from '../../apps/wa-sim/src/client/wa-sim-client';
import { loadConfig } from '../../libs/config/src/load-config';
import { SessionWorkerConfig } from '../../libs/config/src/session-worker.config';
import { AppProcess, waitForHttp } from '../../test/support/app-process';
import { freePort } from '../../test/support/free-port';
import { createTestDatabase, dropTestDatabase } from '../../test/support/test-database';
import { deleteRedisKeys } from '../../test/support/test-redis';
import { BareBaileysProcess } from './bare-baileys-process';
import { cpuProfiling, profilerNodeArgs } from './cpu-profile';
import { collectGarbage, INSPECTOR_NODE_OPTIONS, inspectorUrlIn } from './inspector-gc';
import { startSimulator } from './simulator-process';

const DIST = join(__dirname, '..', '..');

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it returns a value, or fails naming `what`. */
export async function pollUntil<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(everyMs);
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/**
 * The suite as the benchmark runs it: the simulator in its own process, a database and Redis
 * prefix of this run only, the built gateway (for linking) and session workers started and
 * stopped by id. `close()` removes all of it, also after a failure.
 */
export class SuiteUnderBench {
  readonly runId = `bench_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  readonly prefix = `wagw-${this.runId}`;
  readonly workers = new Map<string, AppProcess>();
  sim!: WaSimClient;
  simControlUrl = '';
  simulator?: ChildProcess;
  wsUrl = '';
  rootPublicKey = '';
  private readonly stateDir = mkdtempSync(join(tmpdir(), 'wagw-bench-sim-'));
  readonly adminKey = randomBytes(24).toString('hex');
  private readonly secrets = { ENCRYPTION_KEY: randomBytes(32).toString('hex'), JWT_SECRET: randomBytes(32).toString('hex') };
  private db?: Pool;
  private databaseUrl = '';
  private gateway?: AppProcess;
  apiUrl = '';
  /** Each worker's `/metrics` URL, by worker id. */
  readonly metricsUrls = new Map<string, string>();
  private userId = '';

  /** `settings` are added to the environment of the gateway and of every worker (e.g. pacing off). */
  constructor(private readonly settings: Record<string, string> = {}) {}

  async start(): Promise<void> {
    const simPort = await freePort();
    this.simulator = await startSimulator(this.stateDir, simPort);
    this.simControlUrl = `http://127.0.0.1:${simPort}`;
    this.sim = new WaSimClient(this.simControlUrl);
    const info = await this.sim.info();
    this.wsUrl = info.wsUrl;
    this.rootPublicKey = info.rootPublicKey;
    this.databaseUrl = await createTestDatabase(this.runId);
    this.db = new Pool({ connectionString: this.databaseUrl, max: 4 });
    this.userId = randomUUID();
    await this.db.query(`INSERT INTO users (id, email, name, password_hash, role, updated_at) VALUES ($1, $2, 'Bench', 'unused', 'user', now())`, [
      this.userId,
      `${this.runId}@bench.local`,
    ]);
    const port = await freePort();
    this.gateway = new AppProcess(
      join(DIST, 'apps/gateway/src/main.js'),
      { ...this.env(), PORT: String(port), HOST: '127.0.0.1' },
      [],
      profilerNodeArgs('gateway'),
    );
    this.apiUrl = `http://127.0.0.1:${port}`;
    // /health needs a live worker; the API answers before one joins.
    await waitForHttp(`${this.apiUrl}/docs-json`);
  }

  /** Worker settings are the defaults (LEASE_TTL_MS 5000, RESTORE_CONCURRENCY 50, …) unless given to the constructor. */
  env(): Record<string, string> {
    return {
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: this.prefix,
      ...this.secrets,
      ADMIN_API_KEY: this.adminKey,
      API_RATE_LIMIT: '1000000',
      WA_WS_URL: this.wsUrl,
      WA_TRUSTED_ROOT_PUBLIC_KEY: this.rootPublicKey,
      LOG_LEVEL: 'warn',
      ...this.settings,
    };
  }

  get gatewayPid(): number {
    return this.gateway?.pid ?? -1;
  }

  /** Spawns a worker (`settings` on top of the run's); resolves once its metrics port answers (it claims sessions right after). */
  async startWorker(id: string, settings: Record<string, string> = {}): Promise<AppProcess> {
    const metricsPort = await freePort();
    const env = {
      ...this.env(),
      ...settings,
      WORKER_ID: id,
      WORKER_METRICS_PORT: String(metricsPort),
      WORKER_METRICS_HOST: '127.0.0.1',
      NODE_OPTIONS: INSPECTOR_NODE_OPTIONS,
    };
    const worker = new AppProcess(join(DIST, 'apps/session-worker/src/main.js'), env, [], profilerNodeArgs(id));
    this.workers.set(id, worker);
    this.metricsUrls.set(id, `http://127.0.0.1:${metricsPort}/metrics`);
    await waitForHttp(`http://127.0.0.1:${metricsPort}/metrics`).catch((error: Error) => {
      throw new Error(`worker ${id}: ${error.message}\n${worker.output.slice(-20).join('\n')}`);
    });
    return worker;
  }

  /** A full GC in a worker (through the inspector every worker here is started with). */
  async collectGarbage(worker: AppProcess): Promise<void> {
    const url = inspectorUrlIn(worker.output);
    if (!url) throw new Error('the worker printed no inspector URL');
    await collectGarbage(url);
  }

  /** Stops a worker with `signal`; one still running after `timeoutMs` is killed. */
  async stopWorker(id: string, signal: NodeJS.Signals, timeoutMs?: number): Promise<void> {
    await this.workers.get(id)?.stop(signal, timeoutMs);
    this.workers.delete(id);
  }

  /** Stops every worker this run started (whichever earlier phases left running). */
  async stopAllWorkers(signal: NodeJS.Signals, timeoutMs?: number): Promise<void> {
    await Promise.all([...this.workers.keys()].map((id) => this.stopWorker(id, signal, timeoutMs)));
  }

  /** Worker ids the gateway sees live and reachable. */
  async liveWorkers(): Promise<string[]> {
    const workers = await this.api<{ id: string; reachable: boolean }[]>('GET', '/workers');
    return workers.filter((worker) => worker.reachable).map((worker) => worker.id);
  }

  /**
   * Links sessions `bench-<from>` … `bench-<to - 1>` through the suite, as a client would: create,
   * take the raw QR, scan it with a simulated account, wait for `connected`; the failures (see
   * linkSessionsRetrying, 3 attempts each).
   */
  async linkSessions(from: number, to: number, concurrency: number): Promise<LinkFailure[]> {
    return (await this.linkSessionsRetrying(from, to, { concurrency, attempts: 3 })).failures;
  }

  /**
   * linkSessions with its knobs: `concurrency` links at a time; a link that fails or stays
   * unconnected for 60 s (and has not connected late meanwhile) is removed through the API and
   * tried again, up to `attempts` times. One that never links is returned with what the database
   * and simulator show, and the run goes on (the report lists it). `onRetry` hears why an attempt
   * failed, `onProgress` hears after each finished link.
   */
  async linkSessionsRetrying(from: number, to: number, options: LinkOptions): Promise<{ failures: LinkFailure[]; retries: number }> {
    const failures: LinkFailure[] = [];
    let retries = 0;
    let done = 0;
    const indexes = Array.from({ length: to - from }, (_, i) => from + i);
    await forEachLimited(indexes, options.concurrency, async (index) => {
      for (let attempt = 1; ; attempt += 1) {
        const error = await this.linkOnce(index).then(
          () => undefined,
          (failure: Error) => failure,
        );
        if (!error) break;
        if (attempt >= options.attempts) {
          failures.push(await this.linkFailure(index, error, attempt));
          break;
        }
        retries += 1;
        options.onRetry?.(sessionId(index), attempt, error);
        await this.api('DELETE', `/sessions/${sessionId(index)}`).catch(() => undefined);
      }
      done += 1;
      options.onProgress?.({ done, total: indexes.length, retries, failed: failures.length });
    });
    return { failures, retries };
  }

  private async linkOnce(index: number): Promise<void> {
    const id = sessionId(index);
    const phone = workerPhone(index);
    await this.sim.createAccount(phone).catch((error: unknown) => {
      if (!(error instanceof WaSimRequestError && error.code === 'PHONE_EXISTS')) throw error;
    });
    try {
      await this.api('POST', '/sessions', { agentId: id, agentName: `Bench ${index}`, ownerId: this.userId, waitForQr: false });
      const { qr } = await this.api<{ qr: string }>('GET', `/sessions/${id}/qr?format=raw&wait=30`);
      await this.sim.scanQr(phone, qr);
      // Read where the gateway reads it (the sessions table), without a worker round trip per poll.
      await pollUntil(async () => ((await this.storedSession(id))?.status === 'connected' ? true : undefined), 60_000, `session ${id} connected`, 200);
    } catch (error) {
      // Slow, not failed: it connected after all.
      if ((await this.storedSession(id))?.status !== 'connected') throw error;
    }
  }

  private async linkFailure(index: number, error: Error, attempts: number): Promise<LinkFailure> {
    const id = sessionId(index);
    const devices = (await this.sim.phone(workerPhone(index))).devices.map(({ deviceId, connected }) => ({ deviceId, connected }));
    return { sessionId: id, attempts, error: error.message, stored: await this.storedSession(id), simulatorDevices: devices };
  }

  private async storedSession(id: string): Promise<Record<string, unknown> | undefined> {
    const { rows } = await this.db!.query('SELECT status, last_error, owner_worker_id FROM sessions WHERE id = $1', [id]);
    return rows[0] as Record<string, unknown> | undefined;
  }

  /** Sessions among the first `count` that are `connected` now, on any worker: the set a restart or failover must bring back. */
  async connectedAmongFirst(count: number): Promise<number> {
    const { rows } = await this.db!.query<{ count: number }>(`SELECT count(*)::int AS count FROM sessions WHERE id <= $1 AND status = 'connected'`, [
      sessionId(count - 1),
    ]);
    return rows[0].count;
  }

  /**
   * The numeric and boolean settings a worker of this run resolves from its environment (this
   * build's SessionWorkerConfig: its defaults plus what the benchmark sets), for the report.
   * Strings (URLs, keys, ids) and the per-worker metrics port are left out.
   */
  workerSettings(): Record<string, number | boolean> {
    const config = loadConfig(SessionWorkerConfig, this.env()) as unknown as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(config)
        .filter((entry): entry is [string, number | boolean] => ['number', 'boolean'].includes(typeof entry[1]) && entry[0] !== 'WORKER_METRICS_PORT')
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  }

  /** Sessions `connected` on `workerId` by a connection made at or after `since`. */
  async connectedOn(workerId: string, since: Date): Promise<number> {
    const { rows } = await this.db!.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM sessions WHERE owner_worker_id = $1 AND status = 'connected' AND last_connected_at >= $2`,
      [workerId, since],
    );
    return rows[0].count;
  }

  /**
   * Refreshes the planner statistics of this run's database. A fresh database has none until
   * autovacuum gets to it; meanwhile the planner may pick any index that leads with session_id
   * and filter all of a session's rows per outbox query, which a long-running database never does.
   */
  async analyze(): Promise<void> {
    await this.db!.query('ANALYZE');
  }

  /** Only the first `count` sessions keep wanting a connection (the failover phase's set). */
  async keepOnlyFirst(count: number): Promise<void> {
    await this.db!.query('UPDATE sessions SET auto_connect = (id <= $1)', [sessionId(count - 1)]);
  }

  /** Live logged-in connections and the highest per-account maximum since the last reset, over accounts with this prefix. */
  async connectionsOf(phonePrefix: string): Promise<{ live: number; maxPerAccount: number }> {
    const { accounts } = await this.sim.connections();
    const ours = accounts.filter((account) => account.phoneNumber.startsWith(phonePrefix));
    return { live: ours.reduce((sum, account) => sum + account.live, 0), maxPerAccount: Math.max(0, ...ours.map((account) => account.max)) };
  }

  async api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: { 'x-api-key': this.adminKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  /** Writes what each running app printed (warn and above) to files next to each other; returns their paths. */
  saveOutputs(): string[] {
    const apps = [...this.workers.entries(), ['gateway', this.gateway] as const];
    return apps.map(([name, app]) => {
      const file = join(tmpdir(), `${this.runId}-${name}.log`);
      writeFileSync(file, `${app?.output.join('\n') ?? ''}\n`);
      return file;
    });
  }

  /** Stops every process of the run and removes its database, Redis keys and simulator state. */
  async close(): Promise<void> {
    await Promise.all(
      [...this.workers.values(), this.gateway].filter((process) => process !== undefined).map((process) => process.stop(cpuProfiling ? 'SIGTERM' : 'SIGKILL')),
    );
    this.workers.clear();
    if (this.simulator && this.simulator.exitCode === null) {
      const exited = new Promise((resolve) => this.simulator!.once('exit', resolve));
      this.simulator.kill(cpuProfiling ? 'SIGTERM' : 'SIGKILL');
      await exited;
    }
    await this.db?.end();
    await dropTestDatabase(this.runId).catch((error: Error) => process.stderr.write(`drop database: ${error.message}\n`));
    await deleteRedisKeys(`${this.prefix}*`).catch((error: Error) => process.stderr.write(`redis cleanup: ${error.message}\n`));
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}

export const WORKER_PHONE_PREFIX = '62811';

export interface LinkOptions {
  concurrency: number;
  attempts: number;
  onRetry?: (sessionId: string, attempt: number, error: Error) => void;
  onProgress?: (progress: { done: number; total: number; retries: number; failed: number }) => void;
}

export interface LinkFailure {
  sessionId: string;
  attempts: number;
  error: string;
  stored: Record<string, unknown> | undefined;
  simulatorDevices: { deviceId: number; connected: boolean }[];
}
/** Zero-padded, so ids sort in link order (keepOnlyFirst compares them as text). */
export const sessionId = (index: number): string => `bench-${String(index).padStart(5, '0')}`;
const workerPhone = (index: number): string => `${WORKER_PHONE_PREFIX}${String(index).padStart(8, '0')}`;

/**
 * Runs `measure` against a started suite, a bare Baileys process on the same simulator and a first
 * worker (`bench-w1`); everything is stopped and removed afterwards, also after a failure or a
 * signal, and a failure leaves the apps' output in files it names.
 */
export async function withSuiteAndBare(
  workerEnv: Record<string, string>,
  measure: (suite: SuiteUnderBench, bare: BareBaileysProcess, worker: AppProcess) => Promise<void>,
): Promise<void> {
  const suite = new SuiteUnderBench(workerEnv);
  let bare: BareBaileysProcess | undefined;
  const cleanup = async (): Promise<void> => {
    await bare?.stop();
    await suite.close();
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  process.once('SIGTERM', () => void cleanup().finally(() => process.exit(143)));
  try {
    await suite.start();
    bare = new BareBaileysProcess({ controlUrl: suite.simControlUrl, wsUrl: suite.wsUrl, rootPublicKey: suite.rootPublicKey });
    await measure(suite, bare, await suite.startWorker('bench-w1'));
  } catch (error) {
    process.stderr.write(`app output (warn and above): ${suite.saveOutputs().join(' ')}\n`);
    throw error;
  } finally {
    await cleanup();
  }
}
