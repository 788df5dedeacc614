import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startWaSim, WaSimClient, type RunningWaSim } from '../../apps/wa-sim/src';
import { AppProcess, builtScript, waitForHttp } from './app-process';
import { freePort } from './free-port';
import { baseTestEnv, isolatedPrefix, requiredEnv } from './test-env';
import type { UntypedJson } from './untyped-json';

export interface ApiResponse<T = UntypedJson> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the spawned gateway as the bootstrap admin (ADMIN_API_KEY). */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  async call<T = UntypedJson>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'x-api-key': this.apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(90_000),
    });
    const text = await response.text();
    const parsed: unknown = response.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : text;
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get<T = UntypedJson>(path: string) {
    return this.call<T>('GET', path);
  }

  post<T = UntypedJson>(path: string, body: unknown = {}) {
    return this.call<T>('POST', path, body);
  }

  delete<T = UntypedJson>(path: string) {
    return this.call<T>('DELETE', path);
  }
}

export interface SuiteOptions {
  workers: number;
  /** Extra settings for every process. */
  env?: Record<string, string>;
  /** Also run the agent-runner (inbound messages, AI agent, webhooks). */
  agentRunner?: boolean;
  /** Also run the scheduler (bulk jobs, scheduled messages, maintenance). */
  scheduler?: boolean;
}

/**
 * The suite as real processes for one test file: the WhatsApp simulator in this process, the
 * built gateway and session workers spawned against this run's database and an isolated Redis
 * prefix. Workers can be started, stopped (any signal) and restarted by id.
 */
export class SuiteHarness {
  readonly workers = new Map<string, AppProcess>();
  /** `/metrics` URL of each worker started, by id. */
  readonly workerMetricsUrls = new Map<string, string>();
  readonly adminKey = randomBytes(24).toString('hex');
  readonly prefix = isolatedPrefix('suite');
  sim!: RunningWaSim & { client: WaSimClient };
  api!: ApiClient;
  gateway!: AppProcess;
  agentRunner?: AppProcess;
  scheduler?: AppProcess;
  /** More gateway replicas (startGatewayReplica), beside `gateway`. */
  readonly gatewayReplicas: AppProcess[] = [];
  private stateDir = mkdtempSync(join(tmpdir(), 'wagw-sim-'));
  private simStopped = false;
  private nextPhone = 6281200000000 + Math.floor(Math.random() * 1_000_000) * 100;

  constructor(private readonly options: SuiteOptions) {}

  get env(): Record<string, string> {
    return baseTestEnv({
      REDIS_PREFIX: this.prefix,
      ADMIN_API_KEY: this.adminKey,
      WA_WS_URL: this.sim.wsUrl,
      WA_TRUSTED_ROOT_PUBLIC_KEY: this.sim.rootPublicKeyHex,
      // Media goes over HTTPS to the simulator's media host, whose CA Node must trust.
      NODE_EXTRA_CA_CERTS: this.sim.caCertificatePath,
      WORKER_HEARTBEAT_MS: '500',
      WORKER_TTL_MS: '2000',
      LEASE_TTL_MS: '3000',
      RECONCILE_INTERVAL_MS: '500',
      ...this.options.env,
    });
  }

  async start(): Promise<this> {
    await retireEarlierSessions();
    const sim = await startWaSim({ stateDir: this.stateDir, port: 0, logger: false });
    this.sim = { ...sim, client: new WaSimClient(sim.controlUrl) };
    await this.startGateway();
    await Promise.all(Array.from({ length: this.options.workers }, (_, i) => this.startWorker(`w${i + 1}`)));
    if (this.options.agentRunner) await this.startAgentRunner();
    if (this.options.scheduler) await this.startScheduler();
    await waitForHttp(`${this.api.baseUrl}/health`);
    return this;
  }

  async startGateway(): Promise<void> {
    const port = await freePort();
    this.gateway = new AppProcess(builtScript('apps/gateway/src/main.js'), { ...this.env, PORT: String(port), HOST: '127.0.0.1' });
    this.api = new ApiClient(`http://127.0.0.1:${port}`, this.adminKey);
    await waitForHttp(`${this.api.baseUrl}/docs-json`);
  }

  /** Another gateway process on the same database and Redis prefix; `api` keeps calling the first. */
  async startGatewayReplica(): Promise<{ process: AppProcess; api: ApiClient }> {
    const port = await freePort();
    const replica = new AppProcess(builtScript('apps/gateway/src/main.js'), { ...this.env, PORT: String(port), HOST: '127.0.0.1' });
    this.gatewayReplicas.push(replica);
    const api = new ApiClient(`http://127.0.0.1:${port}`, this.adminKey);
    await waitForHttp(`${api.baseUrl}/docs-json`);
    return { process: replica, api };
  }

  async startWorker(id: string): Promise<AppProcess> {
    const metricsPort = await freePort();
    const worker = new AppProcess(builtScript('apps/session-worker/src/main.js'), {
      ...this.env,
      WORKER_ID: id,
      WORKER_METRICS_PORT: String(metricsPort),
      WORKER_METRICS_HOST: '127.0.0.1',
    });
    this.workers.set(id, worker);
    this.workerMetricsUrls.set(id, `http://127.0.0.1:${metricsPort}/metrics`);
    await waitForHttp(`http://127.0.0.1:${metricsPort}/metrics`);
    return worker;
  }

  async startAgentRunner(): Promise<AppProcess> {
    const metricsPort = await freePort();
    this.agentRunner = new AppProcess(builtScript('apps/agent-runner/src/main.js'), {
      ...this.env,
      AGENT_RUNNER_METRICS_PORT: String(metricsPort),
      AGENT_RUNNER_METRICS_HOST: '127.0.0.1',
    });
    await waitForHttp(`http://127.0.0.1:${metricsPort}/metrics`);
    return this.agentRunner;
  }

  /** Starts the scheduler; resolves once it serves its metrics (its sweeps ran, its queues are consumed). */
  async startScheduler(): Promise<AppProcess> {
    const metricsPort = await freePort();
    this.scheduler = new AppProcess(builtScript('apps/scheduler/src/main.js'), {
      ...this.env,
      SCHEDULER_METRICS_PORT: String(metricsPort),
      SCHEDULER_METRICS_HOST: '127.0.0.1',
      TEMP_DIR: join(this.stateDir, 'scheduler-tmp'),
    });
    await waitForHttp(`http://127.0.0.1:${metricsPort}/metrics`);
    return this.scheduler;
  }

  /** Stops the scheduler running now; one started meanwhile (a restart) is kept. */
  async stopScheduler(signal: NodeJS.Signals): Promise<void> {
    const stopping = this.scheduler;
    await stopping?.stop(signal);
    if (this.scheduler === stopping) this.scheduler = undefined;
  }

  /** A phone number no other test of this file used. */
  newPhone(): string {
    return String(this.nextPhone++);
  }

  /** A new phone in the simulator's address book (a contact to message); returns its number. */
  async newContact(name?: string): Promise<string> {
    const phone = this.newPhone();
    await this.sim.client.createContact(phone, name);
    return phone;
  }

  /**
   * Creates a session for `userId`, scans its QR with a fresh simulated phone (or with the account
   * `phone` made beforehand) and waits until the session is connected; returns the phone number.
   */
  async linkSession(sessionId: string, userId: string, existingAccount?: string): Promise<string> {
    const phone = existingAccount ?? this.newPhone();
    if (!existingAccount) await this.sim.client.createAccount(phone);
    const created = await this.api.post('/sessions', { agentId: sessionId, agentName: `Session ${sessionId}`, ownerId: userId, waitForQr: false });
    if (created.status !== 201) throw new Error(`POST /sessions answered ${created.status}: ${JSON.stringify(created.body)}`);
    const qr = await this.api.get<{ qr: string }>(`/sessions/${sessionId}/qr?format=raw&wait=30`);
    if (qr.status !== 200) throw new Error(`GET qr answered ${qr.status}: ${JSON.stringify(qr.body)}`);
    await this.sim.client.scanQr(phone, qr.body.qr);
    await eventually(
      async () => ((await this.api.get<{ live?: { isReady?: boolean } }>(`/sessions/${sessionId}`)).body.live?.isReady ? true : undefined),
      15_000,
      `session ${sessionId} connected`,
    );
    return phone;
  }

  /** Stops the worker running as `id` now; one started meanwhile under that id (a restart) is kept. */
  async stopWorker(id: string, signal: NodeJS.Signals): Promise<void> {
    const stopping = this.workers.get(id);
    await stopping?.stop(signal);
    if (this.workers.get(id) === stopping) this.workers.delete(id);
  }

  /** Takes WhatsApp away (the simulator stops; connections drop and cannot come back). */
  async stopSimulator(): Promise<void> {
    if (this.simStopped) return;
    this.simStopped = true;
    await this.sim?.close();
  }

  /** Stops every process; the simulator keeps its state unless `wipe`. */
  async stop(wipe = true): Promise<void> {
    await Promise.all(
      [...this.workers.values(), this.gateway, ...this.gatewayReplicas, this.agentRunner, this.scheduler]
        .filter((process) => process !== undefined)
        .map((process) => process.stop('SIGTERM')),
    );
    this.workers.clear();
    await this.stopSimulator();
    if (wipe) rmSync(this.stateDir, { recursive: true, force: true });
  }
}

/** Polls until `check` returns a value (not undefined), or fails with the last observation. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const started = Date.now();
  let last: unknown;
  while (Date.now() - started < timeoutMs) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `${what} did not happen within ${timeoutMs} ms${last ? ` (last error: ${last instanceof Error ? String(last) : JSON.stringify(last)})` : ''}`,
  );
}

/**
 * A run's test files share one database, and a worker claims every session that wants a
 * connection and has no lease under its own Redis prefix. So the sessions earlier files left behind
 * stop wanting one before this file's workers start, or they would claim them all (up to capacity).
 * Their unfinished bulk jobs and schedules are cancelled too: this file's scheduler would otherwise
 * resume them, and each item of a session that cannot send holds one of its BULK_JOB_CONCURRENCY
 * slots for up to DELIVERY_SETTLE_TIMEOUT_MS. Jest runs the files one at a time (jest.config.js),
 * so no other file's sessions are live now.
 */
export async function retireEarlierSessions(): Promise<void> {
  const client = new Client({ connectionString: requiredEnv('DATABASE_URL') });
  await client.connect();
  try {
    // Their processes are gone, so what they last recorded (`connected`, an owner) is stale too.
    await client.query(`UPDATE sessions SET auto_connect = false, status = 'disconnected', owner_worker_id = NULL
      WHERE auto_connect OR status <> 'disconnected' OR owner_worker_id IS NOT NULL`);
    await client.query(`UPDATE bulk_jobs SET status = 'cancelled', finished_at = now() WHERE status IN ('queued', 'processing')`);
    await client.query(`UPDATE scheduled_messages SET status = 'cancelled' WHERE status = 'pending'`);
  } finally {
    await client.end();
  }
}
