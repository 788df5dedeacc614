import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AuthFixtures } from '../../../../test/support/auth-fixtures';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { createGatewayApp } from '../../../../test/support/gateway-app';
import { createTestDatabase, dropTestDatabase } from '../../../../test/support/test-database';
import { requiredEnv, TEST_ADMIN_API_KEY } from '../../../../test/support/test-env';
import { AccessTokenService } from '../auth/access-token.service';
import { UsersService } from './users.service';

/** Admin user management (seed 001): what admins can do, and the guard rails around it. */
describe('/users (admin)', () => {
  const db = new DbFixtures();
  let app: INestApplication;
  let auth: AuthFixtures;
  const asAdmin = () => ({ 'x-api-key': TEST_ADMIN_API_KEY });
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createGatewayApp();
    auth = new AuthFixtures(app, db);
  });

  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('creates, reads, lists, updates and deletes a user, never showing the password hash', async () => {
    const created = await http()
      .post('/users')
      .set(asAdmin())
      .send({ email: ' Rina@Example.COM ', password: 'rina passphrase', name: 'Rina', role: 'readonly' })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      email: 'rina@example.com',
      name: 'Rina',
      role: 'readonly',
      disabled: false,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const id = created.body.id as string;

    await http().get(`/users/${id}`).set(asAdmin()).expect(200, created.body);
    // The run's database holds every test file's users, oldest first: page through all of them.
    const listed: unknown[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await http().get(`/users?limit=500&offset=${offset}`).set(asAdmin()).expect(200);
      listed.push(...(page.body as unknown[]));
      if (page.body.length < 500) break;
    }
    expect(listed).toContainEqual(created.body);
    expect(JSON.stringify(listed)).not.toMatch(/password|scrypt/i);

    const updated = await http().patch(`/users/${id}`).set(asAdmin()).send({ name: 'Rina W.', role: 'user', password: 'a new passphrase' }).expect(200);
    expect(updated.body).toMatchObject({ name: 'Rina W.', role: 'user' });
    await http().post('/auth/login').send({ email: 'rina@example.com', password: 'a new passphrase' }).expect(200);
    await http().post('/auth/login').send({ email: 'rina@example.com', password: 'rina passphrase' }).expect(401);

    await http().delete(`/users/${id}`).set(asAdmin()).expect(204);
    const gone = await http().get(`/users/${id}`).set(asAdmin()).expect(404);
    expect(gone.body.error.code).toBe('USER_NOT_FOUND');
  });

  it('refuses a taken email and an invalid body', async () => {
    const tenant = await auth.tenant();
    const taken = await http().post('/users').set(asAdmin()).send({ email: tenant.user.email, password: 'long enough', name: 'X' }).expect(409);
    expect(taken.body.error.code).toBe('CONFLICT');
    const invalid = await http().post('/users').set(asAdmin()).send({ email: 'nope', password: 'short', name: '', role: 'root' }).expect(400);
    expect(invalid.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['email', 'name', 'password', 'role']);
  });

  it('disables a user: no login, and their tokens and keys stop working', async () => {
    const tenant = await auth.tenant();
    await http()
      .patch(`/users/${tenant.user.id}`)
      .set(asAdmin())
      .send({ disabled: true })
      .expect(200)
      .expect((r) => expect(r.body.disabled).toBe(true));
    await http().get('/auth/me').set('authorization', `Bearer ${tenant.jwt}`).expect(401);
    await http().get('/auth/me').set('x-api-key', tenant.apiKey.key).expect(401);
    await http().patch(`/users/${tenant.user.id}`).set(asAdmin()).send({ disabled: false }).expect(200);
    await http().get('/auth/me').set('x-api-key', tenant.apiKey.key).expect(200);
  });

  it('will not delete a user who still has sessions', async () => {
    const tenant = await auth.tenant();
    const response = await http().delete(`/users/${tenant.user.id}`).set(asAdmin()).expect(409);
    expect(response.body.error.message).toContain('still has 1 session');
  });

  it('is for admins only', async () => {
    const tenant = await auth.tenant();
    const response = await http().get('/users').set('x-api-key', tenant.apiKey.key).expect(403);
    expect(response.body.error).toMatchObject({ code: 'FORBIDDEN', message: 'This route needs the role admin' });
  });
});

/** Counting admins is global, so this runs on a database of its own: other test files have admins too. */
describe('/users keeps one active admin', () => {
  const runId = `${requiredEnv('TEST_RUN_ID')}_admins`;
  let app: INestApplication;

  const admin = async () => {
    const user = await app.get(UsersService).create({ email: `admin-${randomUUID()}@users.test`, password: 'admin passphrase', name: 'A', role: 'admin' });
    return { id: user.id, headers: { authorization: `Bearer ${(await app.get(AccessTokenService).issue(user.id)).accessToken}` } };
  };

  beforeAll(async () => {
    app = await createGatewayApp({ DATABASE_URL: await createTestDatabase(runId) });
  });

  afterAll(async () => {
    await app.close();
    await dropTestDatabase(runId);
  });

  it('refuses to demote, disable or delete the last active admin', async () => {
    const first = await admin();
    for (const change of [{ role: 'user' }, { disabled: true }]) {
      const refused = await request(app.getHttpServer()).patch(`/users/${first.id}`).set(first.headers).send(change).expect(409);
      expect(refused.body.error.message).toContain('last active admin');
    }
    await request(app.getHttpServer()).delete(`/users/${first.id}`).set(first.headers).expect(409);

    const second = await admin();
    await request(app.getHttpServer()).patch(`/users/${first.id}`).set(first.headers).send({ role: 'user' }).expect(200);
    await request(app.getHttpServer()).patch(`/users/${second.id}`).set(second.headers).send({ disabled: true }).expect(409);
  });
});
