import type { INestApplication } from '@nestjs/common';
import { AuthFixtures } from '../../../../test/support/auth-fixtures';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { createGatewayApp } from '../../../../test/support/gateway-app';
import { RouteIsolationChecker, servedOperations } from '../../../../test/support/route-isolation';

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
        'POST /auth/login', 'POST /auth/register', 'GET /auth/me', 'GET /health', 'GET /metrics', 'GET /workers',
        'GET /users', 'POST /users', 'GET /users/{id}', 'PATCH /users/{id}', 'DELETE /users/{id}',
        'POST /users/{id}/api-keys', 'GET /users/{id}/api-keys', 'DELETE /users/{id}/api-keys/{keyId}',
        'POST /sessions/{id}/tokens', 'GET /sessions/{id}/tokens', 'DELETE /sessions/{id}/tokens/{tokenId}',
      ]),
    );
    expect(await checker.check(operations)).toEqual([]);
  }, 180_000);
});
