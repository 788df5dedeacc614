import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { JOBS, QUEUES } from '@app/contracts';
import { useTenantGateway } from '../../../../test/support/tenant-gateway';
import { isolatedPrefix } from '../../../../test/support/test-env';

/** A 1×1 PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('/sessions/{id}/jobs (bulk jobs, seed 002)', () => {
  const gateway = useTenantGateway({
    // Nothing consumes the queue here: the jobs stay where the gateway put them.
    env: { REDIS_PREFIX: isolatedPrefix('jobs') },
    // Schedulers of other test files share this database: leave no job for their sweeps.
    beforeClose: ({ db, tenant }) =>
      db.prisma.bulkJob.updateMany({ where: { sessionId: tenant.session.id, status: { in: ['queued', 'processing'] } }, data: { status: 'cancelled' } }),
  });
  const { db, tenant, http, asOwner, anotherTenant } = gateway;
  let queue: Queue;
  const jobsUrl = () => `/sessions/${tenant.session.id}/jobs`;

  beforeAll(() => {
    queue = gateway.app.get<Queue>(getQueueToken(QUEUES.bulkJobs));
  });

  it('accepts text and media items (202), stores them with media taken in once, and queues the run', async () => {
    const response = await http()
      .post(jobsUrl())
      .set(asOwner())
      .send({
        items: [
          { to: '081234567890', message: 'Halo 1' },
          { to: '+62 812-3456-7891', mediaType: 'image', base64: PNG, caption: 'Promo' },
          { to: '6281234567892@s.whatsapp.net', mediaType: 'image', base64: PNG, caption: 'Promo' },
        ],
        delay: 0.5,
      })
      .expect(202);
    expect(response.body).toMatchObject({
      sessionId: tenant.session.id,
      status: 'queued',
      kind: 'mixed',
      total: 3,
      currentIndex: 0,
      successCount: 0,
      errorCount: 0,
      delay: 0.5,
      messages: { queued: 0, sent: 0, failed: 0, cancelled: 0 },
    });
    const row = await db.prisma.bulkJob.findUniqueOrThrow({ where: { id: response.body.id } });
    const items = row.items as Array<{ to: string; content: Record<string, unknown> }>;
    expect(items.map((item) => item.to)).toEqual(['6281234567890@s.whatsapp.net', '6281234567891@s.whatsapp.net', '6281234567892@s.whatsapp.net']);
    expect(items[0].content).toEqual({ kind: 'text', text: 'Halo 1' });
    expect(items[1].content).toMatchObject({ kind: 'image', mimeType: 'image/png', caption: 'Promo', mediaId: expect.any(String) });
    expect(items[2].content.mediaId).toBe(items[1].content.mediaId);
    expect(row.delayMs).toBe(500);

    const job = await queue.getJob(response.body.id);
    expect(job).toMatchObject({ name: JOBS.runBulkJob, data: { jobId: response.body.id, traceId: expect.any(String) } });
  });

  it('takes seed 002 `messages`, defaults the delay to random 2-5 s, and lists and shows jobs', async () => {
    const created = await http()
      .post(jobsUrl())
      .set(asOwner())
      .send({ messages: [{ to: '6281234567890', message: 'Pesan 1' }] })
      .expect(202);
    expect(created.body).toMatchObject({ kind: 'text', delay: null, total: 1 });
    const shown = await http().get(`${jobsUrl()}/${created.body.id}`).set(asOwner()).expect(200);
    expect(shown.body).toEqual(created.body);
    const listed = await http().get(`${jobsUrl()}?status=queued&limit=100`).set(asOwner()).expect(200);
    expect(listed.body.map((job: { id: string }) => job.id)).toContain(created.body.id);
    expect(listed.body[0].messages).toBeUndefined();
    await http()
      .get(`${jobsUrl()}/no-such-job`)
      .set(asOwner())
      .expect(404)
      .expect((res) => expect(res.body.error.code).toBe('JOB_NOT_FOUND'));
  });

  it('checks every item before accepting any, naming each bad field', async () => {
    const before = await db.prisma.bulkJob.count({ where: { sessionId: tenant.session.id } });
    const response = await http()
      .post(jobsUrl())
      .set(asOwner())
      .send({
        items: [
          { to: '6281234567890', message: 'fine' },
          { to: 'not-a-number', message: 'bad recipient' },
          { to: '6281234567890' },
          { to: '6281234567890', message: 'both', url: 'https://example.com/a.jpg' },
          { to: '6281234567890', message: 'mention', mentions: ['abc'] },
        ],
      })
      .expect(400);
    expect(response.body.error.code).toBe('INVALID_PAYLOAD');
    expect(response.body.error.details.fields.map((field: { field: string }) => field.field)).toEqual([
      'items[1].to',
      'items[2]',
      'items[3]',
      'items[4].mentions[0]',
    ]);
    expect(await db.prisma.bulkJob.count({ where: { sessionId: tenant.session.id } })).toBe(before);

    const neither = await http().post(jobsUrl()).set(asOwner()).send({ delay: 1 }).expect(400);
    expect(neither.body.error.details.fields[0].field).toBe('items');
    await http().post(jobsUrl()).set(asOwner()).send({ items: [], delay: 1 }).expect(400);
    await http()
      .post(jobsUrl())
      .set(asOwner())
      .send({ items: [{ to: '6281234567890', message: 'x' }], delay: -1 })
      .expect(400);
    const badMedia = await http()
      .post(jobsUrl())
      .set(asOwner())
      .send({
        items: [
          { to: '6281234567890', message: 'x' },
          { to: '6281234567890', base64: '***' },
        ],
      })
      .expect(400);
    expect(badMedia.body.error.message).toMatch(/^items\[1\]: /);
  });

  it('creates one job per Idempotency-Key', async () => {
    const body = { items: [{ to: '6281234567890', message: 'once' }], delay: 0 };
    const first = await http()
      .post(jobsUrl())
      .set({ ...asOwner(), 'idempotency-key': 'bulk-once' })
      .send(body)
      .expect(202);
    const replay = await http()
      .post(jobsUrl())
      .set({ ...asOwner(), 'idempotency-key': 'bulk-once' })
      .send(body)
      .expect(202);
    expect(replay.body.id).toBe(first.body.id);
    expect(await db.prisma.bulkJob.count({ where: { idempotencyKey: 'bulk-once' } })).toBe(1);
  });

  it('cancels a job once, and refuses to cancel a finished one', async () => {
    const created = await http()
      .post(jobsUrl())
      .set(asOwner())
      .send({ items: [{ to: '6281234567890', message: 'never' }] })
      .expect(202);
    const cancelled = await http().post(`${jobsUrl()}/${created.body.id}/cancel`).set(asOwner()).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', finishedAt: expect.any(String), messages: { cancelled: 1, queued: 0 } });
    await http().post(`${jobsUrl()}/${created.body.id}/cancel`).set(asOwner()).expect(200);

    const done = await http()
      .post(jobsUrl())
      .set(asOwner())
      .send({ items: [{ to: '6281234567890', message: 'done' }] })
      .expect(202);
    await db.prisma.bulkJob.update({ where: { id: done.body.id }, data: { status: 'completed' } });
    const refused = await http().post(`${jobsUrl()}/${done.body.id}/cancel`).set(asOwner()).expect(409);
    expect(refused.body.error.code).toBe('CONFLICT');
  });

  it('does not show a job through another session', async () => {
    const other = await anotherTenant();
    await http().get(`/sessions/${other.session.id}/jobs/${tenant.bulkJob.id}`).set('x-api-key', other.apiKey.key).expect(404);
    await http().post(`/sessions/${other.session.id}/jobs/${tenant.bulkJob.id}/cancel`).set('x-api-key', other.apiKey.key).expect(404);
    await http().get(`/sessions/${tenant.session.id}/jobs/${tenant.bulkJob.id}`).set('x-api-key', other.apiKey.key).expect(404);
  });
});
