import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, builtScript, waitForHttp } from '../support/app-process';
import { freePorts } from '../support/free-port';
import { retireEarlierSessions } from '../support/suite-harness';
import { baseTestEnv, isolatedPrefix, TEST_ADMIN_API_KEY } from '../support/test-env';

interface ListedWorker {
  id: string;
  reachable: boolean;
}

/** Built gateway and worker processes: workers appear in GET /workers while alive and vanish when gone. */
describe('session workers in the registry', () => {
  const env = baseTestEnv({ REDIS_PREFIX: isolatedPrefix('registry'), WORKER_HEARTBEAT_MS: '300', WORKER_TTL_MS: '1500' });
  let gateway: AppProcess;
  let gatewayPort: number;
  const started: AppProcess[] = [];

  const listWorkerIds = async (): Promise<string[]> => {
    const workers = (await (await fetch(`http://127.0.0.1:${gatewayPort}/workers`, { headers: { 'x-api-key': TEST_ADMIN_API_KEY } })).json()) as ListedWorker[];
    return workers.map((worker) => worker.id).sort();
  };

  const startWorker = async (id: string): Promise<AppProcess> => {
    const [metricsPort] = await freePorts(1);
    const worker = new AppProcess(builtScript('apps/session-worker/src/main.js'), {
      ...env,
      WORKER_ID: id,
      WORKER_METRICS_PORT: String(metricsPort),
    });
    started.push(worker);
    await waitForHttp(`http://127.0.0.1:${metricsPort}/metrics`);
    return worker;
  };

  const eventually = async (check: () => Promise<boolean>, timeoutMs: number): Promise<void> => {
    const begin = Date.now();
    while (Date.now() - begin < timeoutMs) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`condition not met within ${timeoutMs} ms`);
  };

  beforeAll(async () => {
    await retireEarlierSessions();
    [gatewayPort] = (await freePorts(1)) as [number];
    gateway = new AppProcess(builtScript('apps/gateway/src/main.js'), { ...env, PORT: String(gatewayPort), HOST: '127.0.0.1' });
    await waitForHttp(`http://127.0.0.1:${gatewayPort}/health`, 503);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([...started, gateway].map((process) => process.stop('SIGKILL')));
  });

  it('reports /health 503 naming the workers while none is alive', async () => {
    const response = await fetch(`http://127.0.0.1:${gatewayPort}/health`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'error', error: { workers: { status: 'down', live: 0 } } });
  });

  it('lists a worker while it runs and drops it at once when it stops on SIGTERM', async () => {
    const worker = await startWorker('graceful-1');
    expect(await listWorkerIds()).toEqual(['graceful-1']);
    await worker.stop('SIGTERM');
    // Nest re-raises the signal after its shutdown hooks ran, so the exit is "by SIGTERM".
    expect(await worker.exited).toEqual({ code: null, signal: 'SIGTERM' });
    // Gone at once, well before its 1.5 s TTL could have expired it.
    expect(await listWorkerIds()).toEqual([]);
  });

  it('drops a killed worker once its heartbeat TTL has passed', async () => {
    const worker = await startWorker('killed-1');
    expect(await listWorkerIds()).toEqual(['killed-1']);
    await worker.stop('SIGKILL');
    // Listed (as unreachable) until the TTL passes, then gone.
    await eventually(async () => (await listWorkerIds()).length === 0, 6_000);
  });

  it('marks a registered worker that does not answer commands as unreachable', async () => {
    const worker = await startWorker('paused-1');
    process.kill(worker.pid, 'SIGSTOP');
    try {
      const workers = (await (
        await fetch(`http://127.0.0.1:${gatewayPort}/workers`, { headers: { 'x-api-key': TEST_ADMIN_API_KEY } })
      ).json()) as ListedWorker[];
      expect(workers).toEqual([expect.objectContaining({ id: 'paused-1', reachable: false })]);
    } finally {
      process.kill(worker.pid, 'SIGCONT');
    }
  });
});

describe('start-up failures', () => {
  let emptySettings: string;
  beforeAll(async () => {
    emptySettings = join(await mkdtemp(join(tmpdir(), 'wagw-settings-')), '.env');
    await writeFile(emptySettings, '');
  });

  it('a worker with an invalid setting exits naming the variable', async () => {
    const worker = new AppProcess(builtScript('apps/session-worker/src/main.js'), baseTestEnv({ WORKER_CAPACITY: 'lots' }));
    expect(await worker.exited).toEqual({ code: 78, signal: null });
    expect(worker.output.join('\n')).toContain('WORKER_CAPACITY: must be an integer number');
  });

  it('the gateway without a database URL exits naming DATABASE_URL', async () => {
    const { DATABASE_URL: _omitted, ...env } = baseTestEnv();
    const gateway = new AppProcess(builtScript('apps/gateway/src/main.js'), env);
    expect(await gateway.exited).toEqual({ code: 78, signal: null });
    expect(gateway.output.join('\n')).toMatch(/DATABASE_URL: must be a postgresql:\/\/ connection string/);
  });

  it('the launcher names an unreachable Redis and how to start it, and starts nothing', async () => {
    const launcher = new AppProcess(builtScript('tools/launcher/start-suite.js'), baseTestEnv({ REDIS_URL: 'redis://:hunter2@127.0.0.1:1' }), [
      '--settings-file',
      emptySettings,
    ]);
    const { code } = await launcher.exited;
    const output = launcher.output.join('\n');
    expect(code).toBe(1);
    expect(output).toContain('Redis is not answering at redis://:***@127.0.0.1:1');
    expect(output).toContain('start it with: redis-server');
    expect(output).not.toContain('hunter2');
    expect(output).not.toMatch(/\[gateway\]|\[worker-1\]/);
  });

  it('the launcher names an unreachable PostgreSQL', async () => {
    const launcher = new AppProcess(builtScript('tools/launcher/start-suite.js'), baseTestEnv({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/wagw' }), [
      '--settings-file',
      emptySettings,
    ]);
    expect((await launcher.exited).code).toBe(1);
    expect(launcher.output.join('\n')).toContain('PostgreSQL is not answering at postgresql://postgres@127.0.0.1:1/wagw');
  });
});
