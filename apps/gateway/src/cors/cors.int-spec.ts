import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createGatewayApp } from '../../../../test/support/gateway-app';
import { TEST_ADMIN_API_KEY } from '../../../../test/support/test-env';

const ALLOWED = 'https://console.example.com';
const REFUSED = 'https://evil.example.net';

const preflight = (app: INestApplication, origin: string) =>
  request(app.getHttpServer())
    .options('/sessions')
    .set('origin', origin)
    .set('access-control-request-method', 'POST')
    .set('access-control-request-headers', 'content-type,x-api-key,idempotency-key');

describe('CORS from ALLOWED_ORIGINS', () => {
  describe('with origins configured', () => {
    let app: INestApplication;

    beforeAll(async () => {
      app = await createGatewayApp({ ALLOWED_ORIGINS: `${ALLOWED}, http://localhost:5173` });
    });

    afterAll(() => app.close());

    it("answers an allowed origin's preflight with its origin, the methods and headers the API takes, and no credentials", async () => {
      const response = await preflight(app, ALLOWED).expect(204);
      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED);
      expect(response.headers['access-control-allow-methods'].split(',')).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']));
      expect(response.headers['access-control-allow-headers'].split(',')).toEqual(
        expect.arrayContaining(['authorization', 'x-api-key', 'content-type', 'idempotency-key', 'last-event-id']),
      );
      expect(response.headers['access-control-max-age']).toBe('600');
      expect(response.headers.vary).toMatch(/origin/i);
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it("gives a refused origin's preflight no permission", async () => {
      const response = await preflight(app, REFUSED);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('lets an allowed origin read answers and the headers it needs (trace id, Retry-After), errors included', async () => {
      const ok = await request(app.getHttpServer()).get('/sessions').set('origin', ALLOWED).set('x-api-key', TEST_ADMIN_API_KEY).expect(200);
      expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED);
      expect(ok.headers['access-control-expose-headers'].split(',')).toEqual(expect.arrayContaining(['x-request-id', 'retry-after']));
      const denied = await request(app.getHttpServer()).get('/sessions').set('origin', 'http://localhost:5173').expect(401);
      expect(denied.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(denied.body).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    });

    it("gives a refused origin's actual requests no permission (the browser keeps the answer from the page)", async () => {
      const response = await request(app.getHttpServer()).get('/sessions').set('origin', REFUSED).set('x-api-key', TEST_ADMIN_API_KEY);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  it('allows no cross-origin access when ALLOWED_ORIGINS is empty (the default)', async () => {
    const app = await createGatewayApp();
    try {
      const pre = await preflight(app, ALLOWED);
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
      const actual = await request(app.getHttpServer()).get('/sessions').set('origin', ALLOWED).set('x-api-key', TEST_ADMIN_API_KEY).expect(200);
      expect(actual.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('allows any origin with `*`, never with credentials', async () => {
    const app = await createGatewayApp({ ALLOWED_ORIGINS: '*' });
    try {
      const pre = await preflight(app, REFUSED).expect(204);
      expect(pre.headers['access-control-allow-origin']).toBe('*');
      expect(pre.headers['access-control-allow-credentials']).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});
