import { Body, Controller, HttpCode, Param, Post, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsInt, IsOptional, IsString } from 'class-validator';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { GatewayConfig, loadConfig } from '@app/config';
import { AppError } from '@app/contracts';
import { IdempotencyRepository } from '@app/db';
import { baseTestEnv } from '../../../../test/support/test-env';
import { Public } from '../credentials/auth.decorators';
import { configureGateway } from '../configure-gateway';
import { GatewayModule } from '../gateway.module';
import { idempotencyScope, type IdempotentRequest } from './idempotency.fingerprint';
import { IdempotencyModule } from './idempotency.module';
import { IdempotencyKey, Idempotent } from './idempotent.decorator';

class ProbeSendDto {
  @IsString() to!: string;
  @IsString() message!: string;
  @IsOptional() @IsInt() priority?: number;
}

/** Counts handler runs per route, and lets a test hold the slow route open. */
const runs = { send: 0, slow: 0, failing: 0, refused: 0 };
let releaseSlow: () => void = () => undefined;

@Public()
@Controller('probe-idempotency')
class ProbeIdempotencyController {
  @Post(':sessionId/messages')
  @Idempotent()
  send(@Param('sessionId') sessionId: string, @Body() body: ProbeSendDto, @IdempotencyKey() key?: string) {
    runs.send += 1;
    return { sessionId, to: body.to, run: runs.send, key: key ?? null, acceptedAt: new Date() };
  }

  @Post('slow')
  @HttpCode(202)
  @Idempotent()
  async slow() {
    runs.slow += 1;
    await new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    return { run: runs.slow };
  }

  @Post('failing')
  @Idempotent()
  failing() {
    runs.failing += 1;
    if (runs.failing === 1) throw new Error('database went away');
    return { run: runs.failing };
  }

  @Post('refused')
  @Idempotent()
  refused() {
    runs.refused += 1;
    if (runs.refused === 1) throw new AppError('SESSION_NOT_CONNECTED', 'Session is not connected');
    return { run: runs.refused };
  }
}

describe('Idempotency-Key on send routes', () => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());
  const key = () => randomUUID();
  const body = { to: '6281234567890', message: 'Halo', priority: 1 };

  beforeAll(async () => {
    const config = loadConfig(GatewayConfig, baseTestEnv({ API_RATE_LIMIT: '100000', IDEMPOTENCY_LOCK_TIMEOUT_MS: '60000' }));
    const moduleRef = await Test.createTestingModule({
      imports: [GatewayModule.register(config), IdempotencyModule],
      controllers: [ProbeIdempotencyController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await configureGateway(app);
    await app.init();
  });
  afterAll(() => app.close());

  it('replays the first answer, status and body, without running the handler again', async () => {
    const k = key();
    const before = runs.send;
    const first = await http().post('/probe-idempotency/s1/messages').set('Idempotency-Key', k).send(body).expect(201);
    expect(first.body).toMatchObject({ sessionId: 's1', key: k, run: before + 1 });
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // Same request with its JSON keys in another order.
    const replay = await http()
      .post('/probe-idempotency/s1/messages')
      .set('Idempotency-Key', k)
      .send({ priority: 1, message: 'Halo', to: '6281234567890' })
      .expect(201);
    expect(replay.text).toBe(first.text);
    expect(replay.headers['content-type']).toBe(first.headers['content-type']);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(runs.send).toBe(before + 1);
  });

  it('runs every request that has no key', async () => {
    const before = runs.send;
    await http().post('/probe-idempotency/s1/messages').send(body).expect(201);
    await http().post('/probe-idempotency/s1/messages').send(body).expect(201);
    expect(runs.send).toBe(before + 2);
  });

  it('refuses the key for a different body or another route with 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const k = key();
    await http().post('/probe-idempotency/s1/messages').set('Idempotency-Key', k).send(body).expect(201);
    const before = runs.send;
    const otherBody = await http()
      .post('/probe-idempotency/s1/messages')
      .set('Idempotency-Key', k)
      .send({ ...body, message: 'Bye' })
      .expect(422);
    expect(otherBody.body.error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: { idempotencyKey: k } });
    const otherSession = await http().post('/probe-idempotency/s2/messages').set('Idempotency-Key', k).send(body).expect(422);
    expect(otherSession.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(runs.send).toBe(before);
  });

  it('keeps the keys of different callers apart', async () => {
    const k = key();
    const before = runs.send;
    await http().post('/probe-idempotency/s1/messages').set('x-api-key', 'caller-one').set('Idempotency-Key', k).send(body).expect(201);
    await http()
      .post('/probe-idempotency/s1/messages')
      .set('x-api-key', 'caller-two')
      .set('Idempotency-Key', k)
      .send({ ...body, message: 'other' })
      .expect(201);
    expect(runs.send).toBe(before + 2);
  });

  it('answers a duplicate that arrives while the first runs with 409 and Retry-After, then replays', async () => {
    const k = key();
    const before = runs.slow;
    const first = http()
      .post('/probe-idempotency/slow')
      .set('Idempotency-Key', k)
      .send({})
      .then((response) => response);
    await waitFor(() => runs.slow === before + 1);
    const duplicate = await http().post('/probe-idempotency/slow').set('Idempotency-Key', k).send({}).expect(409);
    expect(duplicate.body.error).toMatchObject({ code: 'CONFLICT', details: { idempotencyKey: k, retryAfterSeconds: 1 } });
    expect(duplicate.headers['retry-after']).toBe('1');
    releaseSlow();
    const done = await first;
    expect(done.status).toBe(202);
    const replay = await http().post('/probe-idempotency/slow').set('Idempotency-Key', k).send({}).expect(202);
    expect(replay.text).toBe(done.text);
    expect(runs.slow).toBe(before + 1);
  });

  it('runs the handler once when ten duplicates arrive together', async () => {
    const k = key();
    const before = runs.send;
    const responses = await Promise.all(Array.from({ length: 10 }, () => http().post('/probe-idempotency/s3/messages').set('Idempotency-Key', k).send(body)));
    expect(runs.send).toBe(before + 1);
    const statuses = responses.map((response) => response.status);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    const answers = responses.filter((response) => response.status === 201).map((response) => response.text);
    expect(answers.length).toBeGreaterThanOrEqual(1);
    expect(new Set(answers).size).toBe(1);
  });

  it.each([
    ['a 5xx', '/probe-idempotency/failing', 500, 'failing' as const],
    ['a 4xx', '/probe-idempotency/refused', 409, 'refused' as const],
  ])('does not keep %s: the retry with the same key runs', async (_label, path, status, counter) => {
    const k = key();
    await http().post(path).set('Idempotency-Key', k).send({}).expect(status);
    const retry = await http().post(path).set('Idempotency-Key', k).send({}).expect(201);
    expect(retry.body).toEqual({ run: 2 });
    expect(runs[counter]).toBe(2);
    await http().post(path).set('Idempotency-Key', k).send({}).expect(201);
    expect(runs[counter]).toBe(2);
  });

  it('rejects a malformed key', async () => {
    const response = await http().post('/probe-idempotency/s1/messages').set('Idempotency-Key', 'x'.repeat(256)).send(body).expect(400);
    expect(response.body.error.message).toMatch(/Idempotency-Key header must be 1-255 printable ASCII/);
  });

  it('documents the header in Swagger', async () => {
    const docs = await http().get('/docs-json').expect(200);
    const parameters = docs.body.paths['/probe-idempotency/{sessionId}/messages'].post.parameters as { name: string; in: string; required: boolean }[];
    expect(parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }));
  });

  describe('IdempotencyRepository', () => {
    const times = (staleInMs: number, expiredInMs = -86_400_000) => ({
      staleBefore: new Date(Date.now() + staleInMs),
      expiredBefore: new Date(Date.now() + expiredInMs),
    });

    it('lets a retry take over a claim whose request died, and the dead one can no longer store', async () => {
      const records = app.get(IdempotencyRepository);
      const k = key();
      const dead = await records.claim('test-scope', k, 'hash-1', times(-60_000));
      expect(dead.outcome).toBe('claimed');
      expect(await records.claim('test-scope', k, 'hash-1', times(-60_000))).toEqual({ outcome: 'in-progress', requestHash: 'hash-1' });
      const retry = await records.claim('test-scope', k, 'hash-1', times(1_000));
      expect(retry.outcome).toBe('claimed');
      if (dead.outcome !== 'claimed' || retry.outcome !== 'claimed') throw new Error('unreachable');
      expect(await records.complete('test-scope', k, dead.claimedAt, 201, { late: true })).toBe(false);
      expect(await records.complete('test-scope', k, retry.claimedAt, 201, { ok: true })).toBe(true);
      expect(await records.claim('test-scope', k, 'hash-1', times(1_000))).toEqual({
        outcome: 'completed',
        requestHash: 'hash-1',
        statusCode: 201,
        responseBody: { ok: true },
      });
    });

    it('frees expired answers and purges old records', async () => {
      const records = app.get(IdempotencyRepository);
      const k = key();
      const first = await records.claim('test-scope', k, 'hash-1', times(-60_000));
      if (first.outcome !== 'claimed') throw new Error('expected a claim');
      await records.complete('test-scope', k, first.claimedAt, 201, { ok: 1 });
      expect((await records.claim('test-scope', k, 'hash-2', times(-60_000, 1_000))).outcome).toBe('claimed');
      expect(await records.purgeExpired(new Date(Date.now() + 1_000))).toBeGreaterThanOrEqual(1);
      expect((await records.claim('test-scope', k, 'hash-3', times(-60_000))).outcome).toBe('claimed');
    });
  });
});

describe('idempotencyScope', () => {
  const requestWith = (extra: Partial<IdempotentRequest>): IdempotentRequest => ({ headers: {}, ...extra }) as IdempotentRequest;

  it('scopes by the authenticated caller', () => {
    expect(idempotencyScope(requestWith({ principal: { via: 'jwt', userId: 'u1', role: 'user' } }))).toBe('user:u1');
    expect(idempotencyScope(requestWith({ principal: { via: 'api-key', userId: 'u1', role: 'user', credentialId: 'k1' } }))).toBe('user:u1');
    expect(idempotencyScope(requestWith({ principal: { via: 'session-token', userId: 'u1', role: 'user', sessionId: 's1' } }))).toBe('session:s1');
    expect(idempotencyScope(requestWith({ principal: { via: 'admin-key', userId: null, role: 'admin' } }))).toBe('admin-key:bootstrap');
  });

  it('falls back to the credential sent, hashed, and then to one anonymous scope', () => {
    const scope = idempotencyScope(requestWith({ headers: { 'x-api-key': 'secret-key' } }));
    expect(scope).toMatch(/^credential:[0-9a-f]{32}$/);
    expect(scope).not.toContain('secret');
    expect(idempotencyScope(requestWith({ headers: { authorization: 'Bearer other' } }))).not.toBe(scope);
    expect(idempotencyScope(requestWith({}))).toBe('anonymous');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
