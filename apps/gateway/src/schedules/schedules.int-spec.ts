import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DateTime } from 'luxon';
import { JOBS, QUEUES, SCHEDULE_PICKUP_LEAD_MS } from '@app/contracts';
import { useTenantGateway } from '../../../../test/support/tenant-gateway';
import { isolatedPrefix } from '../../../../test/support/test-env';

describe('/sessions/{id}/schedules (scheduled messages, seed 002)', () => {
  const gateway = useTenantGateway({
    // Nothing consumes the queue here: the jobs stay where the gateway put them.
    env: { REDIS_PREFIX: isolatedPrefix('schedules') },
    // Schedulers of other test files share this database: leave nothing due for their sweeps.
    beforeClose: ({ db, tenant }) =>
      db.prisma.scheduledMessage.updateMany({ where: { sessionId: tenant.session.id, status: 'pending' }, data: { status: 'cancelled' } }),
  });
  const { db, tenant, http, asOwner } = gateway;
  let queue: Queue;
  const url = () => `/sessions/${tenant.session.id}/schedules`;
  const inJakarta = (offsetMs: number) => DateTime.fromMillis(Date.now() + offsetMs, { zone: 'Asia/Jakarta' }).toFormat('yyyy-MM-dd HH:mm:ss');

  beforeAll(() => {
    queue = gateway.app.get<Queue>(getQueueToken(QUEUES.scheduledMessages));
  });

  it('stores a schedule in seed 002 form (Asia/Jakarta by default) and queues its wake-up once', async () => {
    const scheduleTime = inJakarta(3_600_000);
    const created = await http().post(url()).set(asOwner()).send({ to: '081234567890', message: 'Halo', scheduleTime }).expect(201);
    const sendAt = DateTime.fromFormat(scheduleTime, 'yyyy-MM-dd HH:mm:ss', { zone: 'Asia/Jakarta' }).toJSDate();
    expect(created.body).toMatchObject({
      sessionId: tenant.session.id,
      to: '6281234567890@s.whatsapp.net',
      kind: 'text',
      message: 'Halo',
      scheduleTime,
      timezone: 'Asia/Jakarta',
      sendAt: sendAt.toISOString(),
      status: 'pending',
      sentMessage: null,
    });
    const job = await queue.getJob(created.body.id);
    expect(job).toMatchObject({ name: JOBS.sendScheduledMessage, data: { scheduleId: created.body.id } });
    // Due the lead before the message, so the scheduler is ready at the exact time.
    expect(Math.abs(job!.timestamp + job!.delay - (sendAt.getTime() - SCHEDULE_PICKUP_LEAD_MS))).toBeLessThan(1_000);
    expect(await db.prisma.outboundMessage.count({ where: { scheduleId: created.body.id } })).toBe(0);
  });

  it('takes ISO 8601 and other zones, and media', async () => {
    const at = new Date(Date.now() + 7_200_000);
    const iso = await http()
      .post(url())
      .set(asOwner())
      .send({ to: '6281234567890', message: 'iso', scheduleTime: at.toISOString(), timezone: 'Europe/Berlin' })
      .expect(201);
    expect(iso.body).toMatchObject({
      sendAt: at.toISOString(),
      timezone: 'Europe/Berlin',
      scheduleTime: DateTime.fromJSDate(at, { zone: 'Europe/Berlin' }).toFormat('yyyy-MM-dd HH:mm:ss'),
    });
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
    const media = await http()
      .post(url())
      .set(asOwner())
      .send({ to: '6281234567890', base64: png, caption: 'Nanti', scheduleTime: inJakarta(60_000) })
      .expect(201);
    expect(media.body).toMatchObject({ kind: 'image', caption: 'Nanti' });
    const row = await db.prisma.scheduledMessage.findUniqueOrThrow({ where: { id: media.body.id } });
    expect(row.content).toMatchObject({ kind: 'image', mimeType: 'image/png', mediaId: expect.any(String) });
  });

  it('answers 400 naming the field for past times, unknown zones and malformed times', async () => {
    const past = await http()
      .post(url())
      .set(asOwner())
      .send({ to: '6281234567890', message: 'x', scheduleTime: inJakarta(-60_000) })
      .expect(400);
    expect(past.body.error).toMatchObject({
      code: 'INVALID_PAYLOAD',
      details: { fields: [{ field: 'scheduleTime', problems: [expect.stringContaining('not in the future')] }] },
    });
    const zone = await http()
      .post(url())
      .set(asOwner())
      .send({ to: '6281234567890', message: 'x', scheduleTime: inJakarta(60_000), timezone: 'Asia/Atlantis' })
      .expect(400);
    expect(zone.body.error.details.fields[0].field).toBe('timezone');
    const malformed = await http().post(url()).set(asOwner()).send({ to: '6281234567890', message: 'x', scheduleTime: 'next tuesday at noon' }).expect(400);
    expect(malformed.body.error.details.fields[0].field).toBe('scheduleTime');
    const recipient = await http()
      .post(url())
      .set(asOwner())
      .send({ to: 'nobody', message: 'x', scheduleTime: inJakarta(60_000) })
      .expect(400);
    expect(recipient.body.error.details.fields[0].field).toBe('to');
    const empty = await http()
      .post(url())
      .set(asOwner())
      .send({ to: '6281234567890', scheduleTime: inJakarta(60_000) })
      .expect(400);
    expect(empty.body.error.details.fields[0].field).toBe('message');
  });

  it('lists by status, shows one, cancels it once, and refuses to cancel a sent one', async () => {
    const created = await http()
      .post(url())
      .set(asOwner())
      .send({ to: '6281234567890', message: 'cancel me', scheduleTime: inJakarta(600_000) })
      .expect(201);
    const pending = await http().get(`${url()}?status=pending`).set(asOwner()).expect(200);
    expect(pending.body.map((schedule: { id: string }) => schedule.id)).toContain(created.body.id);
    await http()
      .get(`${url()}/${created.body.id}`)
      .set(asOwner())
      .expect(200)
      .expect((res) => expect(res.body).toEqual(created.body));

    const cancelled = await http().delete(`${url()}/${created.body.id}`).set(asOwner()).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', sentMessage: { status: 'cancelled' } });
    expect(await queue.getJob(created.body.id)).toBeUndefined();
    await http().delete(`${url()}/${created.body.id}`).set(asOwner()).expect(200);
    const listed = await http().get(`${url()}?status=cancelled`).set(asOwner()).expect(200);
    expect(listed.body.map((schedule: { id: string }) => schedule.id)).toContain(created.body.id);

    const sent = await http()
      .post(url())
      .set(asOwner())
      .send({ to: '6281234567890', message: 'sent', scheduleTime: inJakarta(600_000) })
      .expect(201);
    await db.prisma.scheduledMessage.update({ where: { id: sent.body.id }, data: { status: 'sent' } });
    const refused = await http().delete(`${url()}/${sent.body.id}`).set(asOwner()).expect(409);
    expect(refused.body.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('sent') });
    await http()
      .delete(`${url()}/no-such-schedule`)
      .set(asOwner())
      .expect(404)
      .expect((res) => expect(res.body.error.code).toBe('SCHEDULE_NOT_FOUND'));
  });

  it('creates one schedule per Idempotency-Key', async () => {
    const body = { to: '6281234567890', message: 'once', scheduleTime: inJakarta(600_000) };
    const first = await http()
      .post(url())
      .set({ ...asOwner(), 'idempotency-key': 'schedule-once' })
      .send(body)
      .expect(201);
    const replay = await http()
      .post(url())
      .set({ ...asOwner(), 'idempotency-key': 'schedule-once' })
      .send(body)
      .expect(201);
    expect(replay.body.id).toBe(first.body.id);
    expect(await db.prisma.scheduledMessage.count({ where: { idempotencyKey: 'schedule-once' } })).toBe(1);
  });
});
