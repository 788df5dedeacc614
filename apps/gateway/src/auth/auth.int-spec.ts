import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { GatewayConfig, jwtExpirySeconds } from '@app/config';
import { createGatewayApp } from '../../../../test/support/gateway-app';
import { TEST_ADMIN_API_KEY } from '../../../../test/support/test-env';

const newEmail = () => `reg-${randomUUID()}@auth.test`;

describe('POST /auth/register', () => {
  const apps: INestApplication[] = [];
  afterAll(() => Promise.all(apps.map((app) => app.close())));
  const start = async (env: Record<string, string>) => {
    const app = await createGatewayApp(env);
    apps.push(app);
    return app;
  };

  it('is open to anyone in open mode, and always creates a plain user', async () => {
    const app = await start({ REGISTRATION_MODE: 'open' });
    const email = newEmail();
    const response = await request(app.getHttpServer()).post('/auth/register').send({ email, password: 'my own passphrase', name: 'Sari' }).expect(201);
    expect(response.body).toMatchObject({ email, name: 'Sari', role: 'user', disabled: false });
    await request(app.getHttpServer()).post('/auth/register').send({ email, password: 'my own passphrase', name: 'Sari', role: 'admin' }).expect(400);
    await request(app.getHttpServer()).post('/auth/register').send({ email, password: 'my own passphrase', name: 'Again' }).expect(409);
  });

  it('needs an admin credential in admin mode (the default)', async () => {
    const app = await start({});
    expect(app.get(GatewayConfig).REGISTRATION_MODE).toBe('admin');
    const body = { email: newEmail(), password: 'my own passphrase', name: 'Dewi' };
    await request(app.getHttpServer()).post('/auth/register').send(body).expect(401);
    const user = await request(app.getHttpServer()).post('/auth/register').set('x-api-key', TEST_ADMIN_API_KEY).send(body).expect(201);
    const login = await request(app.getHttpServer()).post('/auth/login').send({ email: body.email, password: body.password }).expect(200);
    const refused = await request(app.getHttpServer())
      .post('/auth/register')
      .set('authorization', `Bearer ${login.body.accessToken}`)
      .send({ ...body, email: newEmail() })
      .expect(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    expect(user.body.role).toBe('user');
  });
});

describe('POST /auth/login and GET /auth/me', () => {
  let app: INestApplication;
  const email = newEmail();
  const password = 'a long passphrase';

  beforeAll(async () => {
    app = await createGatewayApp({ JWT_EXPIRES_IN: '2h' });
    await request(app.getHttpServer())
      .post('/users')
      .set('x-api-key', TEST_ADMIN_API_KEY)
      .send({ email, password, name: 'Wayan', role: 'readonly' })
      .expect(201);
  });
  afterAll(() => app.close());

  it('logs in with the email in any case, and the token says who the caller is', async () => {
    const login = await request(app.getHttpServer()).post('/auth/login').send({ email: email.toUpperCase(), password }).expect(200);
    expect(login.body).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      tokenType: 'Bearer',
      expiresIn: 7_200,
      user: expect.objectContaining({ email, role: 'readonly' }),
    });
    expect(jwtExpirySeconds(app.get(GatewayConfig))).toBe(7_200);
    const claims = JSON.parse(Buffer.from(login.body.accessToken.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ sub: login.body.user.id, typ: 'access', iss: 'wa-gateway' });
    expect(claims.exp - claims.iat).toBe(7_200);

    const me = await request(app.getHttpServer()).get('/auth/me').set('authorization', `Bearer ${login.body.accessToken}`).expect(200);
    expect(me.body).toEqual({ via: 'jwt', role: 'readonly', user: login.body.user });
  });

  it('gives one answer for a wrong password and an unknown email', async () => {
    const wrong = await request(app.getHttpServer()).post('/auth/login').send({ email, password: 'not it at all' }).expect(401);
    const unknown = await request(app.getHttpServer()).post('/auth/login').send({ email: newEmail(), password }).expect(401);
    expect(wrong.body.error.message).toBe('Invalid email or password');
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
  });
});
