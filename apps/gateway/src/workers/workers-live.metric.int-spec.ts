import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { WorkerInfo } from '@app/contracts';
import { WorkerRegistryRepository } from '@app/redis';
import { createGatewayApp } from '../../../../test/support/gateway-app';
import { isolatedPrefix } from '../../../../test/support/test-env';

/** The gateway's `session_workers_live` follows the registry: workers join, leave and expire. */
describe('session_workers_live on the gateway', () => {
  let app: INestApplication;
  let registry: WorkerRegistryRepository;

  const workerInfo = (id: string): WorkerInfo => ({
    id,
    host: 'test-host',
    pid: 1,
    sessionsHeld: 0,
    capacity: 500,
    state: 'active',
    movesInFlight: 0,
    startedAt: new Date().toISOString(),
    heartbeatAt: new Date().toISOString(),
  });
  const scrapedWorkersLive = async (): Promise<number> => {
    const response = await request(app.getHttpServer()).get('/metrics').expect(200);
    const line = /^session_workers_live\{service="gateway"\} (\d+)$/m.exec(response.text);
    if (!line) throw new Error('session_workers_live missing from /metrics');
    return Number(line[1]);
  };

  beforeAll(async () => {
    app = await createGatewayApp({ REDIS_PREFIX: isolatedPrefix('workers-live') });
    registry = app.get(WorkerRegistryRepository);
  });

  afterAll(async () => {
    await app.close();
  });

  it('counts the workers with a current heartbeat at each scrape', async () => {
    expect(await scrapedWorkersLive()).toBe(0);
    await registry.heartbeat(workerInfo('metric-a'), 60_000);
    await registry.heartbeat(workerInfo('metric-b'), 60_000);
    expect(await scrapedWorkersLive()).toBe(2);
    await registry.remove('metric-a');
    expect(await scrapedWorkersLive()).toBe(1);
  });

  it('drops a worker whose heartbeat expired', async () => {
    await registry.heartbeat(workerInfo('metric-expiring'), 200);
    expect(await scrapedWorkersLive()).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await scrapedWorkersLive()).toBe(1);
  });
});
