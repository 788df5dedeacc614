import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, builtScript, waitForHttp } from '../support/app-process';
import { freePorts } from '../support/free-port';
import { retireEarlierSessions } from '../support/suite-harness';
import { baseTestEnv, isolatedPrefix, TEST_ADMIN_API_KEY } from '../support/test-env';

/**
 * The whole suite as `npm start` runs it: the launcher spawns the built gateway, two session
 * workers, the agent-runner and the scheduler as separate processes against this run's
 * PostgreSQL database and Redis prefix.
 */
describe('the suite started by the launcher', () => {
  let launcher: AppProcess;
  let scratch: string;
  let ports: { gateway: number; worker: number; agentRunner: number; scheduler: number };
  const api = (path: string) => `http://127.0.0.1:${ports.gateway}${path}`;

  beforeAll(async () => {
    await retireEarlierSessions();
    const [gateway, worker, agentRunner, scheduler] = await freePorts(5);
    ports = { gateway: gateway, worker: worker, agentRunner: agentRunner, scheduler: scheduler };
    scratch = await mkdtemp(join(tmpdir(), 'wagw-suite-'));
    // Everything comes from the environment; the launcher's settings file is empty.
    await writeFile(join(scratch, '.env'), '');
    launcher = new AppProcess(
      builtScript('tools/launcher/start-suite.js'),
      baseTestEnv({
        REDIS_PREFIX: isolatedPrefix('suite'),
        SESSION_WORKERS: '2',
        PORT: String(ports.gateway),
        HOST: '127.0.0.1',
        WORKER_METRICS_PORT: String(ports.worker),
        AGENT_RUNNER_METRICS_PORT: String(ports.agentRunner),
        SCHEDULER_METRICS_PORT: String(ports.scheduler),
        TEMP_DIR: join(scratch, 'tmp'),
        LOG_LEVEL: 'info',
      }),
      ['--settings-file', join(scratch, '.env')],
    );
    await launcher.waitForOutput(/suite ready in \d+ ms/, 90_000);
  }, 120_000);

  afterAll(async () => {
    await launcher?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('reports healthy: database, Redis and workers up', async () => {
    const health = JSON.parse(await waitForHttp(api('/health')));
    expect(health).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, redis: { status: 'up' }, workers: { status: 'up', live: 2 } },
    });
  });

  it('lists both session workers, each answering over the Redis transport', async () => {
    const workers = (await (await fetch(api('/workers'), { headers: { 'x-api-key': TEST_ADMIN_API_KEY } })).json()) as Array<Record<string, unknown>>;
    expect(workers).toHaveLength(2);
    for (const worker of workers) {
      expect(worker).toMatchObject({ reachable: true, sessionsHeld: 0, capacity: 1000, id: expect.stringMatching(/-worker-[12]$/) });
      expect(Number.isInteger(worker.pid)).toBe(true);
      expect(Date.parse(String(worker.startedAt))).not.toBeNaN();
    }
    expect(new Set(workers.map((worker) => worker.pid)).size).toBe(2);
  });

  it('serves the OpenAPI document and the Swagger UI', async () => {
    const document = JSON.parse(await waitForHttp(api('/docs-json')));
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health', '/workers']));
    const ui = await fetch(api('/docs'));
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
  });

  it('serves Prometheus metrics from every app, each labelled with its service', async () => {
    const endpoints: Array<[service: string, url: string]> = [
      ['gateway', api('/metrics')],
      ['session-worker', `http://127.0.0.1:${ports.worker}/metrics`],
      ['session-worker', `http://127.0.0.1:${ports.worker + 1}/metrics`],
      ['agent-runner', `http://127.0.0.1:${ports.agentRunner}/metrics`],
      ['scheduler', `http://127.0.0.1:${ports.scheduler}/metrics`],
    ];
    for (const [service, url] of endpoints) {
      const metrics = await waitForHttp(url);
      expect(metrics).toContain(`process_resident_memory_bytes{service="${service}"}`);
      // Every process the launcher starts runs on the suite's Node 24 (the pinned `node` dev dependency).
      expect(metrics).toMatch(new RegExp(`^nodejs_version_info\\{version="v24\\.[^"]*",major="24".*service="${service}"`, 'm'));
    }
    await fetch(api('/workers'), { headers: { 'x-api-key': TEST_ADMIN_API_KEY } });
    const workersSeries = (await waitForHttp(api('/metrics')))
      .split('\n')
      .find((line) => line.startsWith('http_request_duration_seconds_count{') && line.includes('route="/workers"'));
    expect(workersSeries).toMatch(/service="gateway".*status_code="200"\} [1-9]\d*$/);
  });

  it('answers errors in the envelope, echoes the trace id and logs it', async () => {
    const response = await fetch(api('/no-such-route'), { headers: { 'x-request-id': 'e2e-trace-0001' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe('e2e-trace-0001');
    expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String), traceId: 'e2e-trace-0001' } });
    const logLine = await launcher.waitForOutput(/^\[gateway\] .*"traceId":"e2e-trace-0001"/);
    expect(JSON.parse(logLine.replace(/^\[gateway\] /, ''))).toMatchObject({ service: 'gateway', traceId: 'e2e-trace-0001' });
  });

  it('stops every process cleanly on SIGTERM', async () => {
    await launcher.stop('SIGTERM');
    expect(await launcher.exited).toEqual({ code: 0, signal: null });
    expect(launcher.output.join('\n')).toContain('[launcher] all processes stopped');
    await expect(fetch(api('/health'))).rejects.toThrow();
  });
});
