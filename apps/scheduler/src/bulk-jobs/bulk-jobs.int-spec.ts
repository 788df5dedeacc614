import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplication } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import {
  AppError,
  JOBS,
  LIVE_EVENT_STREAM_FIELDS,
  QUEUES,
  redisKeys,
  SEND_JOB_OPTIONS,
  WORKER_COMMANDS,
  type DeliverRequest,
  type DeliveryState,
  type ErrorCode,
  type LiveEvent,
} from '@app/contracts';
import { BulkJobRepository, OutboundMessageRepository } from '@app/db';
import { RedisClient, SendPacer } from '@app/redis';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { createSchedulerApp } from '../../../../test/support/scheduler-app';
import { eventually } from '../../../../test/support/suite-harness';
import { isolatedPrefix } from '../../../../test/support/test-env';
import { BulkJobRunner } from './bulk-job.runner';
import { BulkJobSweeper } from './bulk-job.sweeper';

/**
 * Stands in for the session workers behind SessionCommandRouter: "sends" a queued message once
 * (queued → sent, like a claim) and answers its state; can refuse like a worker in failover.
 */
class FakeSessionOwner {
  readonly sent: Array<{ outboundId: string; jobIndex: number | null; at: number }> = [];
  readonly unreachable = new Set<string>();
  /** `<sessionId>:<jobIndex>` of items that fail to send. */
  readonly failing = new Set<string>();
  refusals: ErrorCode[] = [];
  onDeliver?: (request: DeliverRequest) => void;

  constructor(private readonly db: DbFixtures) {}

  /** Like a session no worker holds yet: the scheduler puts the message into the outbox itself, and asks for it with `send`. */
  async sendToHolder(sessionId: string): Promise<never> {
    throw new AppError('SESSION_NOT_READY', `No worker holds session ${sessionId}`, { held: false });
  }

  async send(_sessionId: string, command: string, request: DeliverRequest): Promise<DeliveryState> {
    if (command !== WORKER_COMMANDS.sessionDeliver) throw new Error(`unexpected command ${command}`);
    this.onDeliver?.(request);
    if (this.unreachable.has(request.sessionId)) throw new AppError('NO_WORKER_AVAILABLE', 'no worker');
    const refusal = this.refusals.shift();
    if (refusal) throw new AppError(refusal, 'not now');
    const row = await this.db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: request.outboundId } });
    const fails = this.failing.has(`${row.sessionId}:${row.jobIndex}`);
    const { count } = await this.db.prisma.outboundMessage.updateMany({
      where: { id: row.id, status: 'queued' },
      data: fails ? { status: 'failed', error: 'boom', attempts: 1 } : { status: 'sent', sentAt: new Date(), attempts: 1 },
    });
    if (count === 1 && !fails) this.sent.push({ outboundId: row.id, jobIndex: row.jobIndex, at: Date.now() });
    const now = await this.db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: row.id } });
    return { outboundId: now.id, waMessageId: now.waMessageId, status: now.status, error: now.error, attempts: now.attempts };
  }
}

describe('bulk jobs in the scheduler (BullMQ, PostgreSQL outbox)', () => {
  const db = new DbFixtures();
  const owner = new FakeSessionOwner(db);
  const prefix = isolatedPrefix('bulk');
  const apps: INestApplication[] = [];
  let app: INestApplication;
  let userId: string;

  const startScheduler = async (): Promise<INestApplication> => {
    const started = await createSchedulerApp(
      {
        REDIS_PREFIX: prefix,
        DELIVERY_SETTLE_TIMEOUT_MS: '4000',
        // Sweeps run on start only unless a test calls one: jobs made without a BullMQ job stay put.
        SCHEDULER_SWEEP_INTERVAL_MS: '3600000',
      },
      owner,
    );
    apps.push(started);
    return started;
  };

  const newSession = async () => (await db.session(userId)).id;
  /** A job as the gateway accepts it: stored, then queued (unless `queued: false`). */
  const newJob = async (sessionId: string, count: number, delayMs: number, queued = true) => {
    const items = Array.from({ length: count }, (_, index) => ({
      to: '6281234567890@s.whatsapp.net',
      content: { kind: 'text' as const, text: `item ${index}` },
    }));
    const { record } = await app.get(BulkJobRepository).create({ sessionId, kind: 'text', items, delayMs, acceptedAt: new Date() });
    if (queued) await app.get<Queue>(getQueueToken(QUEUES.bulkJobs)).add(JOBS.runBulkJob, { jobId: record.id }, { ...SEND_JOB_OPTIONS, jobId: record.id });
    return record.id;
  };
  const job = (id: string) => db.prisma.bulkJob.findUniqueOrThrow({ where: { id } });
  const finished = (id: string, status = 'completed') =>
    eventually(async () => ((await job(id)).status === status ? job(id) : undefined), 20_000, `job ${id} ${status}`);
  const rows = (jobId: string) => db.prisma.outboundMessage.findMany({ where: { jobId }, orderBy: { jobIndex: 'asc' } });
  /** What the fake owner sent of these messages, in sending order. */
  const sentOf = (ids: Set<string>) => owner.sent.filter((entry) => ids.has(entry.outboundId));

  beforeAll(async () => {
    userId = (await db.user()).id;
    app = await startScheduler();
  });

  afterAll(async () => {
    await Promise.all(apps.map((started) => started.close()));
    await db.close();
  });

  it('sends every item once, in order, asking again while no worker answers, and counts exactly what the outbox holds', async () => {
    const sessionId = await newSession();
    owner.failing.add(`${sessionId}:4`);
    owner.refusals = ['SESSION_NOT_READY', 'WORKER_TIMEOUT', 'NO_WORKER_AVAILABLE'];
    const jobId = await newJob(sessionId, 12, 0);
    const done = await finished(jobId);

    const messages = await rows(jobId);
    expect(messages.map((row) => row.jobIndex)).toEqual([...Array(12).keys()]);
    const delivered = sentOf(new Set(messages.map((row) => row.id)));
    expect(delivered.map((entry) => entry.jobIndex)).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11]);
    const counts = await app.get(OutboundMessageRepository).counts(sessionId, jobId);
    expect(counts).toMatchObject({ sent: 11, failed: 1, queued: 0, sending: 0, cancelled: 0 });
    expect(done).toMatchObject({
      total: 12,
      currentIndex: 12,
      successCount: counts.sent + counts.delivered + counts.read,
      errorCount: counts.failed,
      finishedAt: expect.any(Date),
    });
    expect(await app.get<Queue>(getQueueToken(QUEUES.bulkJobs)).getJob(jobId)).toBeUndefined();
  });

  it('publishes job.progress live events after each item and once more when the job ends', async () => {
    const sessionId = await newSession();
    const jobId = await newJob(sessionId, 3, 0);
    await finished(jobId);
    const redis = app.get(RedisClient);
    const entries = await redis.xrange(redisKeys.liveEvents(prefix), '-', '+');
    const progress = entries
      .map(([, fields]) => JSON.parse(fields[fields.indexOf(LIVE_EVENT_STREAM_FIELDS.body) + 1]) as LiveEvent)
      .filter((event): event is LiveEvent<'job.progress'> => event.event === 'job.progress' && event.data.jobId === jobId);
    expect(progress.map((event) => [event.data.status, event.data.currentIndex, event.data.successCount])).toEqual([
      ['processing', 1, 1],
      ['processing', 2, 2],
      ['processing', 3, 3],
      ['completed', 3, 3],
    ]);
    expect(progress.every((event) => event.sessionId === sessionId && event.data.total === 3)).toBe(true);
  });

  it('creates no item twice when a run is interrupted between putting an item into the outbox and counting it', async () => {
    const sessionId = await newSession();
    const jobId = await newJob(sessionId, 6, 0, false);
    const stop = new AbortController();
    let item3Asked = 0;
    const runner = app.get(BulkJobRunner);
    const interrupted = runner.run(jobId, {
      traceId: 'test',
      signal: stop.signal,
      onProgress: async (progress) => {
        // After item 2 is counted, the next deliver command (item 3) is refused and the run stopped.
        if (progress.currentIndex === 3) {
          owner.unreachable.add(sessionId);
          owner.onDeliver = (request) => {
            if (request.sessionId === sessionId) {
              item3Asked += 1;
              stop.abort();
            }
          };
        }
      },
    });
    expect(await interrupted).toBe('stopped');
    expect(item3Asked).toBe(1);
    const before = await rows(jobId);
    expect(before.map((row) => [row.jobIndex, row.status])).toEqual([
      [0, 'sent'],
      [1, 'sent'],
      [2, 'sent'],
      [3, 'queued'],
    ]);
    expect(await job(jobId)).toMatchObject({ status: 'processing', currentIndex: 3, successCount: 3 });

    owner.unreachable.delete(sessionId);
    owner.onDeliver = undefined;
    expect(await runner.run(jobId, { traceId: 'test', signal: new AbortController().signal, onProgress: async () => undefined })).toBe('completed');
    const after = await rows(jobId);
    expect(after).toHaveLength(6);
    expect(after[3].id).toBe(before[3].id);
    expect(after.every((row) => row.status === 'sent')).toBe(true);
    const delivered = sentOf(new Set(after.map((row) => row.id)));
    expect(delivered.map((entry) => entry.jobIndex)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await job(jobId)).toMatchObject({ status: 'completed', currentIndex: 6, successCount: 6, errorCount: 0 });
  });

  it('resumes on another scheduler after this one stops mid-job, without sending anything twice', async () => {
    const sessionId = await newSession();
    const jobId = await newJob(sessionId, 20, 100);
    await eventually(async () => ((await job(jobId)).currentIndex >= 5 ? true : undefined), 10_000, 'five items sent');
    await app.close();
    apps.splice(apps.indexOf(app), 1);
    const stoppedAt = (await job(jobId)).currentIndex;
    expect(stoppedAt).toBeLessThan(20);

    app = await startScheduler();
    await finished(jobId);
    const messages = await rows(jobId);
    expect(messages).toHaveLength(20);
    const delivered = sentOf(new Set(messages.map((row) => row.id)));
    expect(delivered.map((entry) => entry.jobIndex)).toEqual([...Array(20).keys()]);
    expect(await job(jobId)).toMatchObject({ currentIndex: 20, successCount: 20, errorCount: 0 });
  });

  it('stops at cancel, cancels the waiting items and sends nothing more', async () => {
    const sessionId = await newSession();
    const jobId = await newJob(sessionId, 40, 200);
    await eventually(async () => ((await job(jobId)).currentIndex >= 3 ? true : undefined), 10_000, 'three items sent');
    const cancelled = await app.get(BulkJobRepository).cancel(sessionId, jobId, `3EB0${randomBytes(9).toString('hex').toUpperCase()}`);
    expect(cancelled.outcome).toBe('cancelled');
    const sentAtCancel = (await rows(jobId)).filter((row) => row.status === 'sent').length;
    await eventually(async () => ((await app.get<Queue>(getQueueToken(QUEUES.bulkJobs)).getJob(jobId)) ? undefined : true), 10_000, 'run ended');
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const messages = await rows(jobId);
    const sent = messages.filter((row) => row.status === 'sent');
    expect(sent.length).toBeLessThanOrEqual(sentAtCancel + 1);
    expect(messages.filter((row) => row.status === 'queued')).toEqual([]);
    expect(messages.filter((row) => row.status === 'cancelled').length).toBeGreaterThanOrEqual(1);
    expect(messages.length).toBeLessThan(40);
    const record = await job(jobId);
    expect(record).toMatchObject({ status: 'cancelled', successCount: sent.length, errorCount: 0 });
    expect(sentOf(new Set(messages.map((row) => row.id)))).toHaveLength(sent.length);
  });

  it('fails an item its session cannot send in time (its waiting message too) and stops the job', async () => {
    const sessionId = await newSession();
    owner.unreachable.add(sessionId);
    const jobId = await newJob(sessionId, 3, 0);
    const failed = await finished(jobId, 'failed');
    owner.unreachable.delete(sessionId);
    expect(failed).toMatchObject({ currentIndex: 1, successCount: 0, errorCount: 1, error: 'Item 0 was given up (not sent within 4000 ms); the job stopped' });
    const messages = await rows(jobId);
    expect(messages.map((row) => [row.jobIndex, row.status])).toEqual([[0, 'failed']]);
    expect(messages[0].error).toContain('not sent within');
  });

  it('holds an item back while bulk pacing would make it wait past half the settle timeout, and sends it once its slot is near', async () => {
    const sessionId = await newSession();
    // A 3.5 s pause after the previous send, against a 4 s settle timeout (items waiting 2 s or more are held).
    await db.prisma.session.update({ where: { id: sessionId }, data: { pacing: { bulk: { delayMinMs: 3500, delayMaxMs: 3500, maxPerMinute: 0 } } } });
    const previousSendAt = Date.now();
    expect(await app.get(SendPacer).reserve(sessionId, '6281234567890@s.whatsapp.net', 'bulk')).toEqual({ allowed: true, waitMs: 0 });
    const jobId = await newJob(sessionId, 1, 0);
    await eventually(async () => ((await job(jobId)).status === 'processing' ? true : undefined), 5_000, 'job started');
    // Held in the scheduler, not parked in the outbox.
    expect(await rows(jobId)).toEqual([]);
    const done = await finished(jobId);
    expect(done).toMatchObject({ successCount: 1, errorCount: 0 });
    const [entry] = sentOf(new Set((await rows(jobId)).map((row) => row.id)));
    expect(entry.at - previousSendAt).toBeGreaterThanOrEqual(1_500);
  });

  it('ends the hold at a cancel, with nothing put into the outbox', async () => {
    const sessionId = await newSession();
    await db.prisma.session.update({ where: { id: sessionId }, data: { pacing: { bulk: { maxPerRecipientPerHour: 1 } } } });
    await app.get(SendPacer).reserve(sessionId, '6281234567890@s.whatsapp.net', 'bulk');
    const jobId = await newJob(sessionId, 2, 0);
    await eventually(async () => ((await job(jobId)).status === 'processing' ? true : undefined), 5_000, 'job started');
    await app.get(BulkJobRepository).cancel(sessionId, jobId, `3EB0${randomBytes(9).toString('hex').toUpperCase()}`);
    await eventually(async () => ((await app.get<Queue>(getQueueToken(QUEUES.bulkJobs)).getJob(jobId)) ? undefined : true), 10_000, 'run ended');
    expect((await rows(jobId)).filter((row) => row.status !== 'cancelled')).toEqual([]);
    expect(await job(jobId)).toMatchObject({ status: 'cancelled', successCount: 0 });
  });

  it('queues an unfinished job that has no BullMQ job (gateway died before queueing it)', async () => {
    const sessionId = await newSession();
    const jobId = await newJob(sessionId, 2, 0, false);
    const queue = app.get<Queue>(getQueueToken(QUEUES.bulkJobs));
    expect(await queue.getJob(jobId)).toBeUndefined();
    // Fresh jobs are the gateway's to queue; one quiet for two sweep intervals is the sweep's.
    await app.get(BulkJobSweeper).sweep();
    expect(await queue.getJob(jobId)).toBeUndefined();
    await db.prisma.bulkJob.update({ where: { id: jobId }, data: { updatedAt: new Date(Date.now() - 6 * 3_600_000) } });
    expect(await app.get(BulkJobSweeper).sweep()).toBeGreaterThanOrEqual(1);
    await finished(jobId);
    expect(await app.get(BulkJobSweeper).sweep()).toBe(0);
    expect((await rows(jobId)).map((row) => row.status)).toEqual(['sent', 'sent']);
  });
});
