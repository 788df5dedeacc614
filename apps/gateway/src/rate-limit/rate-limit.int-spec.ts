import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AuthFixtures, type Tenant } from '../../../../test/support/auth-fixtures';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { createGatewayApp } from '../../../../test/support/gateway-app';
import { isolatedPrefix } from '../../../../test/support/test-env';
import { UsersService } from '../users/users.service';

/** HTTP rate limits (seed 000), counted in Redis: each test gets a prefix, hence budgets, of its own. */
describe('HTTP rate limiting', () => {
  const db = new DbFixtures();
  const apps: INestApplication[] = [];

  const start = async (env: Record<string, string>) => {
    const app = await createGatewayApp(env);
    apps.push(app);
    return app;
  };
  const me = (app: INestApplication, tenant: Tenant, credential: 'jwt' | 'apiKey' = 'apiKey') =>
    credential === 'jwt'
      ? request(app.getHttpServer()).get('/auth/me').set('authorization', `Bearer ${tenant.jwt}`)
      : request(app.getHttpServer()).get('/auth/me').set('x-api-key', tenant.apiKey.key);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await db.close();
  });

  it('answers over the limit with RATE_LIMITED, the configured status and message, and Retry-After', async () => {
    const app = await start({
      REDIS_PREFIX: isolatedPrefix('rl-status'),
      API_RATE_LIMIT: '3',
      API_RATE_WINDOW: '60000',
      RATE_LIMIT_STATUS_CODE: '503',
      RATE_LIMIT_MESSAGE: 'Terlalu banyak permintaan, coba lagi nanti',
    });
    const tenant = await new AuthFixtures(app, db).tenant();
    const first = await me(app, tenant).expect(200);
    expect(first.headers).toMatchObject({ 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': '2' });
    await me(app, tenant).expect(200);
    await me(app, tenant).expect(200);

    const limited = await me(app, tenant).expect(503);
    expect(limited.body).toEqual({ error: { code: 'RATE_LIMITED', message: 'Terlalu banyak permintaan, coba lagi nanti', traceId: expect.any(String) } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  it('gives each API key, user and anonymous IP a budget of its own', async () => {
    const app = await start({ REDIS_PREFIX: isolatedPrefix('rl-clients'), API_RATE_LIMIT: '2' });
    const auth = new AuthFixtures(app, db);
    const [alice, bob] = await Promise.all([auth.tenant(), auth.tenant()]);
    await me(app, alice).expect(200);
    await me(app, alice).expect(200);
    await me(app, alice).expect(429);

    await me(app, alice, 'jwt').expect(200);
    await me(app, bob).expect(200);
    await request(app.getHttpServer())
      .get('/health')
      .expect((response) => expect(response.status).not.toBe(429));
  });

  it('lets whitelisted IPs through', async () => {
    const app = await start({ REDIS_PREFIX: isolatedPrefix('rl-whitelist'), API_RATE_LIMIT: '2', RATE_LIMIT_WHITELIST: '10.1.2.3,127.0.0.1,::1' });
    const tenant = await new AuthFixtures(app, db).tenant();
    for (let i = 0; i < 5; i += 1) await me(app, tenant).expect(200);
  });

  it('takes the client IP from X-Forwarded-For only when TRUST_PROXY says the proxy is trusted', async () => {
    const viaProxy = (app: INestApplication) => request(app.getHttpServer()).get('/health').set('x-forwarded-for', '203.0.113.9');
    const env = { API_RATE_LIMIT: '1', RATE_LIMIT_WHITELIST: '203.0.113.9' };
    const trusting = await start({ ...env, REDIS_PREFIX: isolatedPrefix('rl-proxy'), TRUST_PROXY: 'loopback' });
    for (let i = 0; i < 3; i += 1) await viaProxy(trusting).expect((response) => expect(response.status).not.toBe(429));
    const direct = await start({ ...env, REDIS_PREFIX: isolatedPrefix('rl-direct') });
    await viaProxy(direct).expect((response) => expect(response.status).not.toBe(429));
    await viaProxy(direct).expect(429);
  });

  it('is one limit for every gateway replica on the same Redis prefix', async () => {
    const prefix = isolatedPrefix('rl-shared');
    const [first, second] = [await start({ REDIS_PREFIX: prefix, API_RATE_LIMIT: '4' }), await start({ REDIS_PREFIX: prefix, API_RATE_LIMIT: '4' })];
    const tenant = await new AuthFixtures(first, db).tenant();
    await me(first, tenant).expect(200);
    await me(second, tenant).expect(200);
    await me(first, tenant).expect(200);
    await me(second, tenant).expect(200);
    await me(first, tenant).expect(429);
    await me(second, tenant).expect(429);
  });

  describe('login attempts', () => {
    let app: INestApplication;
    const password = 'the right passphrase';
    const login = (email: string, pass: string) => request(app.getHttpServer()).post('/auth/login').send({ email, password: pass });

    beforeAll(async () => {
      // Whitelisted: the login limit applies anyway.
      app = await start({ REDIS_PREFIX: isolatedPrefix('rl-login'), LOGIN_RATE_LIMIT: '3', LOGIN_RATE_WINDOW: '60000', RATE_LIMIT_WHITELIST: '127.0.0.1,::1' });
    });

    const user = async () => (await app.get(UsersService).create({ email: `login-${Date.now()}-${Math.random()}@rl.test`, password, name: 'L' })).email;

    it('are limited per email and IP, even with the right password after the limit', async () => {
      const email = await user();
      for (let i = 0; i < 3; i += 1) await login(email, 'wrong passphrase').expect(401);
      const limited = await login(email, password).expect(429);
      expect(limited.body.error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/^Too many login attempts; try again in \d+ s$/) });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      await login(email.toUpperCase(), password).expect(429);
    });

    it("do not lock out another account's logins from the same IP", async () => {
      const email = await user();
      const response = await login(email, password).expect(200);
      expect(response.body).toMatchObject({ tokenType: 'Bearer', user: { email } });
    });
  });
});
