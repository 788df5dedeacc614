import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createGatewayApp } from '../../../../test/support/gateway-app';
import { freePorts } from '../../../../test/support/free-port';
import { isolatedPrefix } from '../../../../test/support/test-env';

/**
 * Readiness and liveness while PostgreSQL is unreachable and no worker runs: readiness names what
 * is down, liveness still answers, so an orchestrator stops routing to the gateway without
 * restarting it.
 */
describe('GET /health and /health/live with dependencies down', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const [closedPort] = await freePorts(1);
    app = await createGatewayApp({
      DATABASE_URL: `postgresql://postgres@127.0.0.1:${closedPort}/wagw`,
      REDIS_PREFIX: isolatedPrefix('health'),
    });
  });

  afterAll(async () => {
    await app.close();
  });

  it('reports not ready, naming the database and the workers', async () => {
    const response = await request(app.getHttpServer()).get('/health').expect(503);
    expect(response.body).toMatchObject({
      status: 'error',
      error: { database: { status: 'down' }, workers: { status: 'down', live: 0 } },
      info: { redis: { status: 'up' } },
      traceId: expect.any(String),
    });
  });

  it('reports alive without an API key', async () => {
    const response = await request(app.getHttpServer()).get('/health/live').expect(200);
    expect(response.body).toEqual({ status: 'ok', traceId: expect.any(String) });
  });
});
