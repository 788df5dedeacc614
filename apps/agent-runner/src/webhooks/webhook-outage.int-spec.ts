import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { AgentRunnerConfig, loadConfig } from '@app/config';
import { JOBS, QUEUES, WEBHOOK_HEADERS, WEBHOOK_RETRY_DELAYS, type SessionStatusChangedEvent } from '@app/contracts';
import { SecretBox, verifySignature } from '@app/crypto';
import { WebhookDeliveryRepository } from '@app/db';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { HttpRecorder, type RecordedRequest } from '../../../../test/support/http-recorder';
import { eventually } from '../../../../test/support/suite-harness';
import { baseTestEnv, isolatedPrefix } from '../../../../test/support/test-env';
import { AgentRunnerModule } from '../agent-runner.module';

/** The schedule in 2 ms units: the endpoint is retried 20 ms, 140 ms, 740 ms, 2.54 s, 6.14 s … after its first failure. */
const UNIT_MS = 2;
/**
 * Before the paused schedule, a delivery gave up after 8 attempts doubling from 2 s: 254 s, here
 * 254 units. The receiver stays away six times as long, through four retries of its endpoints.
 */
const PREVIOUS_WINDOW_MS = (2 + 4 + 8 + 16 + 32 + 64 + 128) * UNIT_MS;
const OUTAGE_MS = 3_000;
const EVENTS_PER_SESSION = 6;
const OWN_SECRET = 'whsec-own-0123456789';
const GLOBAL_SECRET = 'whsec-global-0123456789';

/**
 * A receiver down for longer than the old retry window: nothing is lost, each endpoint is probed on
 * the schedule instead of hammered, and once it is back every event arrives, signed, in the order
 * the events happened per session, for sessions with a webhook of their own and for sessions on
 * the installation's global webhook (seed 001 WEBHOOK_BASE_URL) alike. A redelivery sends one again.
 */
describe('webhooks through a receiver outage', () => {
  const fixtures = new DbFixtures();
  const receiver = new HttpRecorder();
  let app: INestApplication;
  let events: Queue;
  let deliveries: WebhookDeliveryRepository;
  let port: number;

  beforeAll(async () => {
    // The run's test files share one database: deliveries earlier files left waiting (to endpoints
    // long gone) would take this deliverer's slots and blur the schedule being measured.
    await fixtures.prisma.webhookDelivery.updateMany({ where: { status: 'pending' }, data: { status: 'failed', lastError: 'left by an earlier test file' } });
    const url = await receiver.start();
    port = Number(new URL(url).port);
    const config = loadConfig(
      AgentRunnerConfig,
      baseTestEnv({
        REDIS_PREFIX: isolatedPrefix('wh-out'),
        WEBHOOK_RETRY_UNIT_MS: String(UNIT_MS),
        WEBHOOK_POLL_INTERVAL_MS: '20',
        WEBHOOK_BASE_URL: `${url}/global`,
        WEBHOOK_BASE_SECRET: GLOBAL_SECRET,
        URL_FETCH_ALLOWLIST: '127.0.0.1',
      }),
    );
    const moduleRef = await Test.createTestingModule({ imports: [AgentRunnerModule.register(config)] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    events = app.get(getQueueToken(QUEUES.sessionEvents));
    deliveries = app.get(WebhookDeliveryRepository);
  });

  afterAll(async () => {
    await app?.close();
    await receiver.stop();
    await fixtures.close();
  });

  it('delivers every event, signed and in order per session, once the receiver is back', async () => {
    const userId = (await fixtures.user()).id;
    const box = app.get(SecretBox);
    const own = await Promise.all(
      [1, 2].map(() => fixtures.session(userId, { webhookUrl: `http://127.0.0.1:${port}/own`, webhookSecretCipher: box.seal(OWN_SECRET) })),
    );
    const onGlobal = await Promise.all([1, 2].map(() => fixtures.session(userId)));
    const sessions = [...own, ...onGlobal];
    await receiver.stop();

    // Events of each session happen a millisecond apart but are published out of order.
    const base = Date.now();
    const published: SessionStatusChangedEvent[] = sessions.flatMap((session, s) =>
      Array.from({ length: EVENTS_PER_SESSION }, (_, n) => ({
        eventId: randomUUID(),
        sessionId: session.id,
        userId,
        status: 'connecting' as const,
        previousStatus: 'disconnected' as const,
        workerId: 'w1',
        phone: null,
        reason: `event ${n}`,
        at: new Date(base + s * 100 + n).toISOString(),
        traceId: `outage-${s}-${n}`,
      })),
    );
    const shuffled = [...published].sort((a, b) => a.eventId.localeCompare(b.eventId));
    await events.addBulk(shuffled.map((event) => ({ name: JOBS.sessionStatusChanged, data: event })));
    const attemptsSoFar = async () =>
      (await Promise.all(sessions.map((session) => deliveries.listForSession(session.id, 50)))).flat().reduce((sum, delivery) => sum + delivery.attempts, 0);
    // The outage counts from the first failed attempts of both endpoints (dispatching takes a moment).
    await eventually(async () => ((await attemptsSoFar()) >= 2 ? true : undefined), 10_000, 'both endpoints tried');

    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    expect(OUTAGE_MS).toBeGreaterThan(5 * PREVIOUS_WINDOW_MS);
    const during = (await Promise.all(sessions.map((session) => deliveries.listForSession(session.id, 50)))).flat();
    expect(during).toHaveLength(published.length);
    expect(during.every((delivery) => delivery.status === 'pending')).toBe(true);
    // Two endpoints (the sessions' own URL, the global one), each probed on the schedule: at
    // 0, 20, 140, 740 and 2 540 ms, never once per waiting event.
    const attempts = during.reduce((sum, delivery) => sum + delivery.attempts, 0);
    expect(attempts).toBeGreaterThanOrEqual(2 * 4);
    expect(attempts).toBeLessThanOrEqual(2 * 6);

    await receiver.start(port);
    const nextProbeMs = WEBHOOK_RETRY_DELAYS.slice(0, 5).reduce((sum, delay) => sum + delay, 0) * UNIT_MS;
    const arrived = await receiver.waitForRequests(published.length, nextProbeMs + 10_000);
    expect(arrived).toHaveLength(published.length);

    for (const [s, session] of sessions.entries()) {
      const secret = s < own.length ? OWN_SECRET : GLOBAL_SECRET;
      const path = s < own.length ? '/own' : '/global';
      const received = arrived.filter((request) => JSON.parse(request.body).sessionId === session.id);
      expect(received.map((request) => request.url)).toEqual(Array(EVENTS_PER_SESSION).fill(path));
      expect(received.every((request) => verifySignature(secret, request.body, String(request.headers[WEBHOOK_HEADERS.signature])))).toBe(true);
      expect(received.map((request: RecordedRequest) => JSON.parse(request.body).data.reason)).toEqual(
        published.filter((event) => event.sessionId === session.id).map((event) => event.reason),
      );
    }
    // The last answers may still be on their way into the log.
    const after = await eventually(
      async () => {
        const logged = (await Promise.all(sessions.map((session) => deliveries.listForSession(session.id, 50)))).flat();
        return logged.every((delivery) => delivery.status === 'delivered') ? logged : undefined;
      },
      5_000,
      'every delivery logged as delivered',
    );

    // An owner's redelivery request sends one again, under the same delivery id.
    const again = after.find((delivery) => delivery.sessionId === onGlobal[0].id)!;
    expect(await deliveries.redeliver(again.sessionId, again.id)).toMatchObject({ id: again.id, status: 'pending' });
    const [redelivered] = (await receiver.waitForRequests(published.length + 1)).slice(published.length);
    expect(redelivered.headers[WEBHOOK_HEADERS.delivery]).toBe(again.id);
    expect(JSON.parse(redelivered.body).id).toBe(JSON.parse(JSON.stringify(again.payload)).id);
    expect(verifySignature(GLOBAL_SECRET, redelivered.body, String(redelivered.headers[WEBHOOK_HEADERS.signature]))).toBe(true);
  }, 60_000);
});
