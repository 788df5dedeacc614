import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { createGatewayApp } from '../../../../test/support/gateway-app';
import { TEST_ADMIN_API_KEY } from '../../../../test/support/test-env';

describe('webhook redelivery routes', () => {
  const db = new DbFixtures();
  let app: INestApplication;
  let sessionId: string;

  beforeAll(async () => {
    app = await createGatewayApp();
    sessionId = (await db.session((await db.user()).id)).id;
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const post = (path: string, body?: object) =>
    request(app.getHttpServer()).post(`/sessions/${sessionId}/webhook/deliveries/${path}`).set('x-api-key', TEST_ADMIN_API_KEY).send(body);
  const statusOf = async (id: string) => (await db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id } })).status;

  it('queues one delivery again, whatever its state, and resumes its paused endpoint', async () => {
    const failed = await db.webhookDelivery(sessionId, { status: 'failed' });
    await db.prisma.webhookEndpoint.upsert({
      where: { url: 'https://hooks.example.com/x' },
      create: { url: 'https://hooks.example.com/x', consecutiveFailures: 9, pausedUntil: new Date(Date.now() + 3_600_000) },
      update: { consecutiveFailures: 9, pausedUntil: new Date(Date.now() + 3_600_000) },
    });
    const response = await post(`${failed.id}/retry`).expect(202);
    expect(response.body).toMatchObject({ id: failed.id, status: 'pending', nextAttemptAt: null });
    expect(await statusOf(failed.id)).toBe('pending');
    expect(await db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { url: 'https://hooks.example.com/x' } })).toMatchObject({
      pausedUntil: null,
      consecutiveFailures: 9,
    });
    await db.prisma.webhookDelivery.update({ where: { id: failed.id }, data: { status: 'delivered' } });
  });

  it('answers 404 for a delivery the session does not have, and 400 for an id that is not one', async () => {
    expect((await post(`${randomUUID()}/retry`).expect(404)).body.error.code).toBe('NOT_FOUND');
    const otherSession = (await db.session((await db.user()).id)).id;
    const foreign = await db.webhookDelivery(otherSession);
    await post(`${foreign.id}/retry`).expect(404);
    const invalid = await post('not-a-uuid/retry').expect(400);
    expect(invalid.body.error.details.fields[0].field).toBe('deliveryId');
  });

  it('replays every delivery of events since a time, and only those', async () => {
    const base = Date.now() - 60_000;
    const ids = await Promise.all([0, 10, 20, 30].map((seconds) => db.webhookDelivery(sessionId, { occurredAt: new Date(base + seconds * 1_000) })));
    const response = await post('replay', { since: new Date(base + 10_000).toISOString(), until: new Date(base + 20_000).toISOString() }).expect(202);
    expect(response.body).toEqual({ replayed: 2 });
    expect(await Promise.all(ids.map(({ id }) => statusOf(id)))).toEqual(['delivered', 'pending', 'pending', 'delivered']);
    await db.prisma.webhookDelivery.updateMany({ where: { sessionId }, data: { status: 'delivered' } });
  });

  it('refuses a replay without a valid time range', async () => {
    expect((await post('replay', {}).expect(400)).body.error.message).toContain('since');
    expect((await post('replay', { since: 'yesterday' }).expect(400)).body.error.code).toBe('INVALID_PAYLOAD');
    await post('replay', { since: new Date().toISOString(), until: new Date(Date.now() - 60_000).toISOString() }).expect(400);
  });
});
