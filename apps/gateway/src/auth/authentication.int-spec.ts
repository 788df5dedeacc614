import { Controller, Post } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { SecretBox } from '@app/crypto';
import { AuthFixtures, type Tenant } from '../../../../test/support/auth-fixtures';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { createGatewayApp } from '../../../../test/support/gateway-app';
import { TEST_ADMIN_API_KEY } from '../../../../test/support/test-env';
import { AcceptsSessionToken, CurrentPrincipal, SessionScoped } from '../credentials/auth.decorators';
import type { Principal } from '../credentials/principal';

/** An agent route as seed 003 defines them: the session's token (or api key) may call it. */
@Controller('agents/:id')
class AgentProbeController {
  @Post('auth-probe')
  @SessionScoped('id')
  @AcceptsSessionToken()
  probe(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}

/** The answer once it is `status` (a change made in the database reaches the row cache shortly), or the last one. */
async function onceNoticed(send: () => request.Test, status: number): Promise<request.Response> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const response = await send();
    if (response.status === status) return response;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return send().expect(status);
}

describe('authentication', () => {
  const db = new DbFixtures();
  let app: INestApplication;
  let auth: AuthFixtures;
  let owner: Tenant;
  const http = () => request(app.getHttpServer());
  const me = (headers: Record<string, string>) => http().get('/auth/me').set(headers);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const probe = (sessionId: string, headers: Record<string, string>) => http().post(`/agents/${sessionId}/auth-probe`).set(headers);

  beforeAll(async () => {
    app = await createGatewayApp({}, [AgentProbeController]);
    auth = new AuthFixtures(app, db);
    owner = await auth.tenant('user');
  });

  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('refuses a request without a credential, naming both ways to send one', async () => {
    const response = await me({}).expect(401);
    expect(response.body.error).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('x-api-key') });
  });

  describe('ADMIN_API_KEY', () => {
    it('is an admin credential without a user', async () => {
      const response = await me({ 'x-api-key': TEST_ADMIN_API_KEY }).expect(200);
      expect(response.body).toEqual({ via: 'admin-key', role: 'admin', user: null });
      await http().get('/workers').set('x-api-key', TEST_ADMIN_API_KEY).expect(200);
    });

    it('must match exactly', async () => {
      await me({ 'x-api-key': `${TEST_ADMIN_API_KEY}x` }).expect(401);
      await me({ 'x-api-key': TEST_ADMIN_API_KEY.slice(0, -1) }).expect(401);
    });
  });

  describe('user API keys', () => {
    it('authenticate as their user and record their use', async () => {
      const response = await me({ 'x-api-key': owner.apiKey.key }).expect(200);
      expect(response.body).toMatchObject({ via: 'api-key', role: 'user', user: { id: owner.user.id } });
      // The use is recorded after the answer (fire and forget), so it is awaited, not assumed.
      await eventually(async () => (await db.prisma.userApiKey.findUniqueOrThrow({ where: { id: owner.apiKey.id } })).lastUsedAt !== null);
    });

    it('stop working once revoked', async () => {
      const tenant = await auth.tenant('user');
      await me({ 'x-api-key': tenant.apiKey.key }).expect(200);
      await http().delete(`/users/${tenant.user.id}/api-keys/${tenant.apiKey.id}`).set(bearer(tenant.jwt)).expect(200);
      const response = await me({ 'x-api-key': tenant.apiKey.key }).expect(401);
      expect(response.body.error.message).toBe('Invalid, revoked or expired API key');
    });

    it('stop working once expired', async () => {
      const tenant = await auth.tenant('user');
      await db.prisma.userApiKey.update({ where: { id: tenant.apiKey.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
      await onceNoticed(() => me({ 'x-api-key': tenant.apiKey.key }), 401);
    });

    it('are refused for a made-up key of the right shape', async () => {
      await me({ 'x-api-key': `wgk_${'A'.repeat(43)}` }).expect(401);
    });
  });

  describe('login tokens (JWT)', () => {
    it('authenticate as their user', async () => {
      const response = await me(bearer(owner.jwt)).expect(200);
      expect(response.body).toMatchObject({ via: 'jwt', role: 'user', user: { id: owner.user.id, email: owner.user.email } });
    });

    it('are refused once expired', async () => {
      const expired = await app.get(JwtService).signAsync({ sub: owner.user.id, typ: 'access' }, { expiresIn: -10 });
      const response = await me(bearer(expired)).expect(401);
      expect(response.body.error.message).toBe('Token expired: log in again');
    });

    it('are refused when signed with another secret, unsigned, or tampered with', async () => {
      const other = await app.get(JwtService).signAsync({ sub: owner.user.id, typ: 'access' }, { secret: 'x'.repeat(40) });
      await me(bearer(other)).expect(401);
      const [header, payload] = owner.jwt.split('.');
      const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
      await me(bearer(none)).expect(401);
      const admin = await db.user({ role: 'admin' });
      const forgedPayload = Buffer.from(JSON.stringify({ sub: admin.id, typ: 'access' })).toString('base64url');
      const forgedSignature = createHmac('sha256', 'guess').update(`${header}.${forgedPayload}`).digest('base64url');
      await me(bearer(`${header}.${forgedPayload}.${forgedSignature}`)).expect(401);
    });

    it("follow the user's current role and state, not the role at login", async () => {
      const tenant = await auth.tenant('user');
      // Written straight to the database, as another process would: the gateway's cached copy of
      // the user goes when PostgreSQL's change notice arrives, a few milliseconds later.
      await db.prisma.user.update({ where: { id: tenant.user.id }, data: { role: 'readonly' } });
      const write = await onceNoticed(() => http().post(`/sessions/${tenant.session.id}/tokens`).set(bearer(tenant.jwt)).send({ name: 'x' }), 403);
      expect(write.body.error).toMatchObject({ code: 'FORBIDDEN', message: 'Read-only users cannot change anything' });
      await db.prisma.user.update({ where: { id: tenant.user.id }, data: { disabledAt: new Date() } });
      await onceNoticed(() => me(bearer(tenant.jwt)), 401);
      await me({ 'x-api-key': tenant.apiKey.key }).expect(401);
    });
  });

  describe('session tokens', () => {
    it('act on their own session, with user rights at most', async () => {
      const response = await probe(owner.session.id, bearer(owner.sessionToken.token)).expect(201);
      expect(response.body).toEqual({
        via: 'session-token',
        userId: owner.user.id,
        role: 'user',
        sessionId: owner.session.id,
        credentialId: owner.sessionToken.id,
      });
    });

    it('do not reach another session, even of the same owner', async () => {
      const second = await db.session(owner.user.id);
      const response = await probe(second.id, bearer(owner.sessionToken.token)).expect(404);
      expect(response.body.error.code).toBe('SESSION_NOT_FOUND');
    });

    it('are refused on routes that do not accept them', async () => {
      await me(bearer(owner.sessionToken.token)).expect(401);
      await http().get(`/sessions/${owner.session.id}/tokens`).set(bearer(owner.sessionToken.token)).expect(401);
    });

    it('stop working once revoked', async () => {
      const tenant = await auth.tenant('user');
      await probe(tenant.session.id, bearer(tenant.sessionToken.token)).expect(201);
      await http().delete(`/sessions/${tenant.session.id}/tokens/${tenant.sessionToken.id}`).set(bearer(tenant.jwt)).expect(200);
      await probe(tenant.session.id, bearer(tenant.sessionToken.token)).expect(401);
    });

    it("leave the owner's and an admin's credentials working on agent routes", async () => {
      await probe(owner.session.id, bearer(owner.jwt)).expect(201);
      await probe(owner.session.id, { 'x-api-key': owner.apiKey.key }).expect(201);
      await probe(owner.session.id, { 'x-api-key': TEST_ADMIN_API_KEY }).expect(201);
      const stranger = await auth.tenant('user');
      await probe(owner.session.id, bearer(stranger.jwt)).expect(404);
    });
  });

  describe("the session's api key on agent routes (seed 003)", () => {
    const box = () => app.get(SecretBox);
    const sessionWithKey = async (key: string) => {
      const session = await db.session(owner.user.id);
      await db.prisma.session.update({ where: { id: session.id }, data: { aiApiKeyCipher: box().seal(key) } });
      return session.id;
    };
    const storedKey = async (sessionId: string) => box().open((await db.prisma.session.findUniqueOrThrow({ where: { id: sessionId } })).aiApiKeyCipher!);

    it('is a session token for its session', async () => {
      const sessionId = await sessionWithKey('sk-agent-key-1');
      const response = await probe(sessionId, bearer('sk-agent-key-1')).expect(201);
      expect(response.body).toEqual({ via: 'session-token', userId: owner.user.id, role: 'user', sessionId });
      await probe(sessionId, bearer('sk-agent-key-2')).expect(401);
    });

    it('is re-synced from api_keys after a mismatch, so a rotated key works on a later try', async () => {
      const user = await db.user();
      const session = await db.session(user.id);
      await db.prisma.session.update({ where: { id: session.id }, data: { aiApiKeyCipher: box().seal('sk-old') } });
      await db.prisma.sharedApiKey.createMany({
        data: [
          { userId: user.id, accessToken: 'sk-older', isActive: true, createdAt: new Date(Date.now() - 60_000) },
          { userId: user.id, accessToken: 'sk-rotated', isActive: true, createdAt: new Date(Date.now() - 1_000) },
          { userId: user.id, accessToken: 'sk-revoked-newest', isActive: false, createdAt: new Date() },
        ],
      });

      const first = await probe(session.id, bearer('sk-rotated'));
      expect(first.status).toBe(401);
      await eventually(async () => (await storedKey(session.id)) === 'sk-rotated');
      await probe(session.id, bearer('sk-rotated')).expect(201);
      await probe(session.id, bearer('sk-old')).expect(401);
      await probe(session.id, bearer('sk-revoked-newest')).expect(401);
    });

    it('is left alone when api_keys has nothing newer', async () => {
      const sessionId = await sessionWithKey('sk-current');
      await probe(sessionId, bearer('sk-wrong')).expect(401);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await storedKey(sessionId)).toBe('sk-current');
      await probe(sessionId, bearer('sk-current')).expect(201);
    });

    it('does not open a session that does not exist', async () => {
      await probe('no-such-session', bearer('anything')).expect(401);
    });
  });
});

describe('GET /metrics with METRICS_TOKEN set', () => {
  let app: INestApplication;
  const metricsToken = 'scrape-token-0123456789';

  beforeAll(async () => {
    app = await createGatewayApp({ METRICS_TOKEN: metricsToken });
  });
  afterAll(() => app.close());

  it('answers Prometheus with the token, and an admin', async () => {
    const scrape = await request(app.getHttpServer()).get('/metrics').set('authorization', `Bearer ${metricsToken}`).expect(200);
    expect(scrape.text).toContain('process_resident_memory_bytes{service="gateway"}');
    await request(app.getHttpServer()).get('/metrics').set('x-api-key', TEST_ADMIN_API_KEY).expect(200);
  });

  it('refuses anyone else', async () => {
    await request(app.getHttpServer()).get('/metrics').expect(401);
    await request(app.getHttpServer()).get('/metrics').set('authorization', 'Bearer wrong-token').expect(401);
  });
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
