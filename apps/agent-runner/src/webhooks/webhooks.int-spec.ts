import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { AgentRunnerConfig, loadConfig } from '@app/config';
import { JOBS, QUEUES, WEBHOOK_HEADERS, type SessionStatusChangedEvent } from '@app/contracts';
import { SecretBox, verifySignature } from '@app/crypto';
import { WebhookDeliveryRepository } from '@app/db';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { HttpRecorder } from '../../../../test/support/http-recorder';
import { baseTestEnv, isolatedPrefix } from '../../../../test/support/test-env';
import { AgentRunnerModule } from '../agent-runner.module';
import { WebhookDispatcher } from './webhook-dispatcher.service';

describe('session event webhooks (agent-runner)', () => {
  const fixtures = new DbFixtures();
  const receiver = new HttpRecorder();
  let app: INestApplication;
  let events: Queue;
  let deliveries: WebhookDeliveryRepository;
  let receiverUrl: string;
  let box: SecretBox;
  let userId: string;

  const statusEvent = (sessionId: string): SessionStatusChangedEvent => ({
    eventId: randomUUID(),
    sessionId,
    userId,
    status: 'connected',
    previousStatus: 'connecting',
    workerId: 'w1',
    phone: '6281234567890',
    reason: null,
    at: new Date().toISOString(),
    traceId: 'trace-webhook-1',
  });

  const settled = async (sessionId: string, timeoutMs = 10_000) => {
    const started = Date.now();
    for (;;) {
      const [delivery] = await deliveries.listForSession(sessionId, 5);
      if (delivery && delivery.status !== 'pending') return delivery;
      if (Date.now() - started > timeoutMs) throw new Error(`delivery for ${sessionId} still pending`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    receiverUrl = await receiver.start();
    const config = loadConfig(
      AgentRunnerConfig,
      baseTestEnv({
        REDIS_PREFIX: isolatedPrefix('webhooks'),
        // The retry schedule in 5 ms units: pauses of 50 ms, 300 ms, 1.5 s …
        WEBHOOK_RETRY_UNIT_MS: '5',
        WEBHOOK_POLL_INTERVAL_MS: '20',
        // The receiver is on loopback, which webhook delivery refuses unless allow-listed.
        URL_FETCH_ALLOWLIST: '127.0.0.1',
      }),
    );
    const moduleRef = await Test.createTestingModule({ imports: [AgentRunnerModule.register(config)] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    events = app.get(getQueueToken(QUEUES.sessionEvents));
    deliveries = app.get(WebhookDeliveryRepository);
    box = app.get(SecretBox);
    userId = (await fixtures.user()).id;
  });

  afterAll(async () => {
    await app.close();
    await receiver.stop();
    await fixtures.close();
  });

  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.respondWith(200);
  });

  it('posts a signed status event to the session webhook and logs the delivery', async () => {
    const session = await fixtures.session(userId, { webhookUrl: `${receiverUrl}/hook`, webhookSecretCipher: box.seal('whsec-1') });
    await events.add(JOBS.sessionStatusChanged, statusEvent(session.id));

    const [request] = await receiver.waitForRequests(1);
    expect(request.url).toBe('/hook');
    expect(request.headers[WEBHOOK_HEADERS.event]).toBe('session.status');
    expect(verifySignature('whsec-1', request.body, String(request.headers[WEBHOOK_HEADERS.signature]))).toBe(true);
    expect(JSON.parse(request.body)).toMatchObject({
      event: 'session.status',
      sessionId: session.id,
      data: { status: 'connected', phone: '6281234567890', traceId: 'trace-webhook-1' },
    });
    const delivery = await settled(session.id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200 });
    expect(request.headers[WEBHOOK_HEADERS.delivery]).toBe(delivery.id);
  });

  it('pauses a failing endpoint on the schedule and delivers once it accepts', async () => {
    receiver.respondWith(500, 503, 200);
    const session = await fixtures.session(userId, { webhookUrl: `${receiverUrl}/flaky` });
    await events.add(JOBS.sessionStatusChanged, statusEvent(session.id));

    await receiver.waitForRequests(3);
    expect(await settled(session.id)).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200 });
    const [first, second, third] = receiver.requests.map((request) => request.receivedAt);
    // Paused 10 then 60 units (50 ms, 300 ms) after the 1st and 2nd failure: not hammered.
    expect(second - first).toBeGreaterThanOrEqual(50);
    expect(third - second).toBeGreaterThanOrEqual(300);
    expect(receiver.requests[0].headers[WEBHOOK_HEADERS.signature]).toBeUndefined();
  });

  it('gives up at once on a private destination that is not allow-listed, and records why', async () => {
    const session = await fixtures.session(userId, { webhookUrl: 'http://10.255.255.1/hook' });
    await events.add(JOBS.sessionStatusChanged, statusEvent(session.id));

    const delivery = await settled(session.id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: null });
    expect(delivery.lastError).toMatch(/destination refused/);
  });

  it('sends nothing for events the session did not subscribe to', async () => {
    const session = await fixtures.session(userId, { webhookUrl: `${receiverUrl}/picky`, webhookEvents: ['message.received'] });
    const dispatcher = app.get(WebhookDispatcher);
    const result = await dispatcher.dispatch({
      eventId: `picky-${session.id}`,
      event: 'session.status',
      sessionId: session.id,
      occurredAt: new Date().toISOString(),
      data: {},
    });
    expect(result).toBeNull();
    expect(await deliveries.listForSession(session.id, 5)).toEqual([]);
  });

  it('delivers a re-dispatched event only once', async () => {
    const session = await fixtures.session(userId, { webhookUrl: `${receiverUrl}/once` });
    const dispatcher = app.get(WebhookDispatcher);
    const event = { eventId: `once-${session.id}`, event: 'session.status' as const, sessionId: session.id, occurredAt: new Date().toISOString(), data: {} };
    const first = await dispatcher.dispatch(event);
    const second = await dispatcher.dispatch(event);
    expect(second).toBe(first);
    await settled(session.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.requests.filter((request) => request.url === '/once')).toHaveLength(1);
  });
});
