import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplication } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JOBS, QUEUES } from '@app/contracts';
import { register } from 'prom-client';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { createSchedulerApp } from '../../../../test/support/scheduler-app';
import { eventually } from '../../../../test/support/suite-harness';
import { isolatedPrefix } from '../../../../test/support/test-env';
import { QueueDepthReporter } from './queue-depth.reporter';

describe('scheduler maintenance (BullMQ)', () => {
  let tempDir: string;
  const apps: INestApplication[] = [];
  const prefix = isolatedPrefix('maintenance');
  const db = new DbFixtures();

  const startScheduler = async (): Promise<INestApplication> => {
    const app = await createSchedulerApp({
      REDIS_PREFIX: prefix,
      TEMP_DIR: tempDir,
      TEMP_CLEANUP_INTERVAL_MINUTES: '0.01',
      TEMP_FILE_MAX_AGE_HOURS: '1',
      PURGE_INTERVAL_MINUTES: '0.01',
      MEDIA_RETENTION_HOURS: '1',
    });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    tempDir = await mkdtemp(join(tmpdir(), 'wagw-temp-'));
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await rm(tempDir, { recursive: true, force: true });
    await db.close();
  });

  it('removes expired previews on its repeating schedule and keeps fresh ones', async () => {
    const app = await startScheduler();
    await writeFile(join(tempDir, 'fresh.jpg'), 'x');
    const expired = join(tempDir, 'expired.jpg');
    await writeFile(expired, 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await utimes(expired, twoHoursAgo, twoHoursAgo);

    const started = Date.now();
    while ((await readdir(tempDir)).includes('expired.jpg')) {
      if (Date.now() - started > 10_000) throw new Error('expired file was not cleaned up');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await readdir(tempDir)).toEqual(['fresh.jpg']);

    const queue = app.get<Queue>(getQueueToken(QUEUES.maintenance));
    const completed = await queue.getJobs(['completed']);
    expect(completed.some((job) => job.name === JOBS.cleanupTempFiles)).toBe(true);
  });

  it('keeps a single schedule however many schedulers start', async () => {
    const second = await startScheduler();
    const queue = second.get<Queue>(getQueueToken(QUEUES.maintenance));
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((scheduler) => scheduler.key).sort()).toEqual(
      [JOBS.cleanupTempFiles, JOBS.purgeIdempotencyRecords, JOBS.purgeUnreferencedMedia].sort(),
    );
    expect(schedulers.every((scheduler) => scheduler.every === 600)).toBe(true);
  });

  it('purges expired idempotency records and old unreferenced media, keeping the media of unfinished bulk jobs', async () => {
    const sessionId = (await db.session((await db.user()).id)).id;
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
    const record = (key: string, createdAt: Date) =>
      db.prisma.idempotencyRecord.create({ data: { scope: `test:${randomUUID()}`, key, requestHash: 'h', statusCode: 202, responseBody: {}, createdAt } });
    const [expired, fresh] = await Promise.all([record('expired', hoursAgo(25)), record('fresh', new Date())]);
    // A job accepted 3 h ago and still running: its items (and their media) are not in the outbox yet.
    const job = await db.prisma.bulkJob.create({ data: { sessionId, kind: 'media', total: 1, items: [], createdAt: hoursAgo(3) } });
    const media = await db.prisma.mediaObject.create({
      data: { sessionId, sha256: 'x', mimeType: 'image/png', size: 1, bytes: Buffer.from('x'), createdAt: hoursAgo(2) },
    });
    const exists = {
      record: async (scope: string) => (await db.prisma.idempotencyRecord.count({ where: { scope } })) === 1,
      media: async () => (await db.prisma.mediaObject.count({ where: { id: media.id } })) === 1,
    };

    await eventually(async () => ((await exists.record(expired.scope)) ? undefined : true), 10_000, 'expired record purged');
    expect(await exists.record(fresh.scope)).toBe(true);
    const purges = await apps[0].get<Queue>(getQueueToken(QUEUES.maintenance)).getJobs(['completed']);
    expect(purges.filter((done) => done.name === JOBS.purgeUnreferencedMedia).length).toBeGreaterThan(0);
    expect(await exists.media()).toBe(true);

    await db.prisma.bulkJob.update({ where: { id: job.id }, data: { status: 'completed' } });
    await eventually(async () => ((await exists.media()) ? undefined : true), 10_000, 'unreferenced media purged');
  });

  it('reports the depths of every queue of the suite as queue_jobs', async () => {
    const app = apps[apps.length - 1];
    await app.get<Queue>(getQueueToken(QUEUES.bulkJobs)).add('depth-probe', {}, { delay: 3_600_000, jobId: `probe-${randomUUID()}` });
    // Consumed by the agent-runner, which does not run here: the scheduler reports it all the same.
    await app.get<Queue>(getQueueToken(QUEUES.inboundMessages)).add('depth-probe', {}, { delay: 3_600_000, jobId: `probe-${randomUUID()}` });
    await app.get(QueueDepthReporter).refresh();
    const series = (await register.getSingleMetric('queue_jobs')!.get()).values;
    const value = (queue: string, state: string) => series.find((entry) => entry.labels.queue === queue && entry.labels.state === state)?.value;
    expect(value(QUEUES.bulkJobs, 'delayed')).toBe(1);
    expect(value(QUEUES.scheduledMessages, 'waiting')).toBe(0);
    expect(value(QUEUES.maintenance, 'completed')).toBeGreaterThan(0);
    expect(value(QUEUES.inboundMessages, 'delayed')).toBe(1);
    expect(new Set(series.map((entry) => entry.labels.queue))).toEqual(new Set(Object.values(QUEUES)));
  });
});
