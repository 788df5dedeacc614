import type { INestApplication } from '@nestjs/common';
import { LiveEventPublisher } from '@app/redis';
import { AuthFixtures, type Tenant } from '../../../../test/support/auth-fixtures';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { createGatewayApp } from '../../../../test/support/gateway-app';
import { sampleLiveEvents as sample } from '../../../../test/support/live-event-samples';
import { RouteIsolationChecker, servedOperations } from '../../../../test/support/route-isolation';
import { SseRecorder } from '../../../../test/support/sse-recorder';
import { isolatedPrefix } from '../../../../test/support/test-env';

/**
 * Every operation of the OpenAPI document, including routes added later by anyone, is called by
 * anonymous, another tenant, a readonly user, a session token, the owner (API key and JWT) and an
 * admin; the answers must match the rules the operation declares. Run in both configurations
 * whose rules differ (registration mode, metrics token).
 */
const CONFIGURATIONS: Array<{ label: string; env: Record<string, string> }> = [
  { label: 'admin-only registration, public metrics', env: { REGISTRATION_MODE: 'admin' } },
  { label: 'open registration, metrics behind a token', env: { REGISTRATION_MODE: 'open', METRICS_TOKEN: 'metrics-token-0123456789' } },
];

describe.each(CONFIGURATIONS)('route isolation over /docs-json ($label)', ({ env }) => {
  const fixtures = new DbFixtures();
  let app: INestApplication;
  let checker: RouteIsolationChecker;

  beforeAll(async () => {
    // No session worker runs here: routes that need one should fail fast.
    app = await createGatewayApp({ ...env, WORKER_RPC_TIMEOUT_MS: '300' });
    const admin = await fixtures.user({ role: 'admin' });
    const auth = new AuthFixtures(app, fixtures);
    checker = new RouteIsolationChecker(app, auth, await auth.jwtFor(admin.id));
  });

  afterAll(async () => {
    await app.close();
    await fixtures.close();
  });

  it('covers every route the gateway serves', async () => {
    const documented = (await checker.operations()).map((op) => `${op.method.toUpperCase()} ${op.path}`);
    const served = servedOperations(app);
    expect(served).toEqual(expect.arrayContaining(['GET /workers', 'DELETE /users/{id}/api-keys/{keyId}']));
    expect(served.filter((route) => !documented.includes(route))).toEqual([]);
  });

  it('holds for every operation', async () => {
    const operations = await checker.operations();
    expect(operations.map((op) => `${op.method.toUpperCase()} ${op.path}`)).toEqual(
      expect.arrayContaining([
        'POST /auth/login',
        'POST /auth/register',
        'GET /auth/me',
        'GET /health',
        'GET /metrics',
        'GET /workers',
        'GET /users',
        'POST /users',
        'GET /users/{id}',
        'PATCH /users/{id}',
        'DELETE /users/{id}',
        'POST /users/{id}/api-keys',
        'GET /users/{id}/api-keys',
        'DELETE /users/{id}/api-keys/{keyId}',
        'POST /sessions/{id}/tokens',
        'GET /sessions/{id}/tokens',
        'DELETE /sessions/{id}/tokens/{tokenId}',
      ]),
    );
    expect(await checker.check(operations)).toEqual([]);
  }, 180_000);
});

/**
 * The event stream is one route whose answer is many events: each caller must get exactly the
 * events of the sessions it may see (owner: own; admin: all; session token: its session's
 * delivery statuses and job progress), through every credential, tickets included.
 */
describe('route isolation of the live-event stream (GET /events)', () => {
  const fixtures = new DbFixtures();
  const streams: SseRecorder[] = [];
  let app: INestApplication;
  let baseUrl: string;
  let owner: Tenant;
  let other: Tenant;
  let readonly: Tenant;
  let adminJwt: string;

  const open = async (headers: Record<string, string>, query = '') => {
    const stream = await SseRecorder.ready(`${baseUrl}/events${query}`, headers);
    streams.push(stream);
    return stream;
  };
  const ticketOf = async (headers: Record<string, string>) =>
    ((await (await fetch(`${baseUrl}/events/tickets`, { method: 'POST', headers })).json()) as { ticket: string }).ticket;
  const summary = (stream: SseRecorder) => stream.events().map((event) => `${event.sessionId} ${event.event}`);

  beforeAll(async () => {
    app = await createGatewayApp({ REDIS_PREFIX: isolatedPrefix('sse') });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    const auth = new AuthFixtures(app, fixtures);
    [owner, other, readonly] = await Promise.all([auth.tenant('user'), auth.tenant('user'), auth.tenant('readonly')]);
    adminJwt = await auth.jwtFor((await fixtures.user({ role: 'admin' })).id);
  });

  afterAll(async () => {
    streams.forEach((stream) => stream.close());
    await app.close();
    await fixtures.close();
  });

  it('gives every caller exactly the events it may see, in order, and another tenant none of them', async () => {
    const ownerKey = await open({ 'x-api-key': owner.apiKey.key });
    const ownerJwt = await open({ authorization: `Bearer ${owner.jwt}` });
    const ownerTicket = await open({}, `?ticket=${encodeURIComponent(await ticketOf({ 'x-api-key': owner.apiKey.key }))}`);
    const ownerToken = await open({ authorization: `Bearer ${owner.sessionToken.token}` });
    const ownerTokenTicket = await open({}, `?ticket=${encodeURIComponent(await ticketOf({ authorization: `Bearer ${owner.sessionToken.token}` }))}`);
    const otherJwt = await open({ authorization: `Bearer ${other.jwt}` });
    const otherToken = await open({ authorization: `Bearer ${other.sessionToken.token}` });
    const readonlyKey = await open({ 'x-api-key': readonly.apiKey.key });
    const admin = await open({ authorization: `Bearer ${adminJwt}` });

    const mine = owner.session.id;
    await app
      .get(LiveEventPublisher)
      .publish([
        sample.status(mine, owner.user.id, 'connecting'),
        sample.qr(mine),
        sample.received(other.session.id, 'for the other tenant'),
        sample.status(mine, owner.user.id, 'connected', 'awaiting_qr'),
        sample.received(mine, 'halo'),
        sample.receipt(mine, owner.message.id, 'delivered'),
        sample.receipt(mine, owner.message.id, 'read'),
        sample.progress(mine, owner.bulkJob.id, 1, 1),
      ]);
    await admin.waitFor(() => admin.events().length === 8, 10_000, 'every event for the admin');
    // Events go to every stream in the same pass; a moment more for any stray one to show up.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const ownerSees = ['session.status', 'session.qr', 'session.status', 'message.received', 'message.status', 'message.status', 'job.progress'].map(
      (name) => `${mine} ${name}`,
    );
    for (const stream of [ownerKey, ownerJwt, ownerTicket]) expect(summary(stream)).toEqual(ownerSees);
    for (const stream of [ownerToken, ownerTokenTicket])
      expect(summary(stream)).toEqual([`${mine} message.status`, `${mine} message.status`, `${mine} job.progress`]);
    expect(summary(otherJwt)).toEqual([`${other.session.id} message.received`]);
    expect(summary(otherToken)).toEqual([]);
    expect(summary(readonlyKey)).toEqual([]);
    expect(summary(admin)).toEqual([...ownerSees.slice(0, 2), `${other.session.id} message.received`, ...ownerSees.slice(2)]);
    expect(JSON.stringify(otherJwt.messages)).not.toContain(mine);
  });

  it('answers a session the caller may not see as not found, whatever the credential', async () => {
    const asked = `?sessionId=${owner.session.id}`;
    const callers: Array<Record<string, string>> = [
      { authorization: `Bearer ${other.jwt}` },
      { 'x-api-key': readonly.apiKey.key },
      { authorization: `Bearer ${other.sessionToken.token}` },
    ];
    for (const headers of callers) {
      const refused = await SseRecorder.open(`${baseUrl}/events${asked}`, headers);
      expect(refused.status).toBe(404);
      expect(refused.body).toMatchObject({ error: { code: 'SESSION_NOT_FOUND' } });
    }
  });
});
