import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplication } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { AppError, JOBS, QUEUES, SCHEDULE_PICKUP_LEAD_MS, SEND_JOB_OPTIONS, WORKER_COMMANDS, type DeliverRequest, type DeliveryState } from '@app/contracts';
import { ScheduleRepository } from '@app/db';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { createSchedulerApp } from '../../../../test/support/scheduler-app';
import { eventually } from '../../../../test/support/suite-harness';
import { isolatedPrefix } from '../../../../test/support/test-env';
import { ScheduleSweeper } from './schedule.sweeper';

/** Stands in for the session workers: "sends" a queued message once and records when. */
class FakeSessionOwner {
  readonly sent: Array<{ scheduleId: string | null; at: number }> = [];
  readonly unreachable = new Set<string>();

  constructor(private readonly db: DbFixtures) {}

  /** Like a session no worker holds yet: the scheduler puts the message into the outbox itself, and asks for it with `send`. */
  async sendToHolder(sessionId: string): Promise<never> {
    throw new AppError('SESSION_NOT_READY', `No worker holds session ${sessionId}`, { held: false });
  }

  async send(_sessionId: string, command: string, request: DeliverRequest): Promise<DeliveryState> {
    if (command !== WORKER_COMMANDS.sessionDeliver) throw new Error(`unexpected command ${command}`);
    if (this.unreachable.has(request.sessionId)) throw new AppError('SESSION_NOT_READY', 'being taken over');
    const { count } = await this.db.prisma.outboundMessage.updateMany({
      where: { id: request.outboundId, status: 'queued' },
      data: { status: 'sent', sentAt: new Date(), attempts: 1 },
    });
    const row = await this.db.prisma.outboundMessage.findUniqueOrThrow({ where: { id: request.outboundId } });
    if (count === 1) this.sent.push({ scheduleId: row.scheduleId, at: Date.now() });
    return { outboundId: row.id, waMessageId: row.waMessageId, status: row.status, error: row.error, attempts: row.attempts };
  }
}

describe('scheduled messages in the scheduler (BullMQ delayed jobs, sweep)', () => {
  const db = new DbFixtures();
  const owner = new FakeSessionOwner(db);
  const apps: INestApplication[] = [];
  let app: INestApplication;
  let sessionId: string;

  const startScheduler = async (prefix: string): Promise<INestApplication> => {
    const started = await createSchedulerApp(
      {
        REDIS_PREFIX: prefix,
        DELIVERY_SETTLE_TIMEOUT_MS: '2000',
        // Sweeps run on start only unless a test calls one.
        SCHEDULER_SWEEP_INTERVAL_MS: '3600000',
      },
      owner,
    );
    apps.push(started);
    return started;
  };

  /** A schedule as the gateway accepts it: stored, then its delayed job added (unless `queued: false`). */
  const schedule = async (target: INestApplication, dueInMs: number, queued = true) => {
    const sendAt = new Date(Date.now() + dueInMs);
    const { record } = await target
      .get(ScheduleRepository)
      .create({ sessionId, toJid: '6281234567890@s.whatsapp.net', content: { kind: 'text', text: 'later' }, sendAt, timezone: 'Asia/Jakarta' });
    if (queued) {
      const delay = Math.max(0, sendAt.getTime() - SCHEDULE_PICKUP_LEAD_MS - Date.now());
      await target
        .get<Queue>(getQueueToken(QUEUES.scheduledMessages))
        .add(JOBS.sendScheduledMessage, { scheduleId: record.id }, { ...SEND_JOB_OPTIONS, jobId: record.id, delay });
    }
    return record;
  };
  const statusOf = async (id: string) => (await db.prisma.scheduledMessage.findUniqueOrThrow({ where: { id } })).status;
  const settled = (id: string, status: string, timeoutMs = 10_000) =>
    eventually(async () => ((await statusOf(id)) === status ? true : undefined), timeoutMs, `schedule ${id} ${status}`);
  const sendsOf = (id: string) => owner.sent.filter((entry) => entry.scheduleId === id);

  beforeAll(async () => {
    sessionId = (await db.session((await db.user()).id)).id;
    app = await startScheduler(isolatedPrefix('schedules'));
  });

  afterAll(async () => {
    await Promise.all(apps.map((started) => started.close()));
    await db.close();
  });

  it('sends a schedule once, within a few milliseconds of its time', async () => {
    const record = await schedule(app, 3_000);
    await settled(record.id, 'sent');
    const sends = sendsOf(record.id);
    expect(sends).toHaveLength(1);
    const lateness = sends[0].at - record.sendAt.getTime();
    expect(lateness).toBeGreaterThanOrEqual(0);
    expect(lateness).toBeLessThan(500);
    expect(await db.prisma.outboundMessage.count({ where: { scheduleId: record.id } })).toBe(1);
  });

  it('queues a due schedule whose BullMQ job is missing, and only once', async () => {
    const record = await schedule(app, 1_500, false);
    const queue = app.get<Queue>(getQueueToken(QUEUES.scheduledMessages));
    expect(await queue.getJob(record.id)).toBeUndefined();
    const sweeper = app.get(ScheduleSweeper);
    expect(await sweeper.sweep()).toBeGreaterThanOrEqual(1);
    expect(await queue.getJob(record.id)).toBeDefined();
    expect(await sweeper.sweep()).toBe(0);
    await settled(record.id, 'sent');
    expect(sendsOf(record.id)).toHaveLength(1);
    const far = await schedule(app, 24 * 3_600_000, false);
    await sweeper.sweep();
    expect(await queue.getJob(far.id)).toBeUndefined();
  });

  it('sends nothing for a schedule cancelled before it is due', async () => {
    const record = await schedule(app, 2_500);
    const result = await app.get(ScheduleRepository).cancel(sessionId, record.id, `3EB0${randomBytes(9).toString('hex').toUpperCase()}`);
    expect(result.outcome).toBe('cancelled');
    await eventually(async () => ((await app.get<Queue>(getQueueToken(QUEUES.scheduledMessages)).getJob(record.id)) ? undefined : true), 10_000, 'job done');
    expect(await statusOf(record.id)).toBe('cancelled');
    expect(sendsOf(record.id)).toEqual([]);
  });

  it('fails a schedule whose session cannot send it in time', async () => {
    const stuck = (await db.session((await db.user()).id)).id;
    owner.unreachable.add(stuck);
    const sendAt = new Date(Date.now() + 500);
    const { record } = await app
      .get(ScheduleRepository)
      .create({ sessionId: stuck, toJid: '6281234567890@s.whatsapp.net', content: { kind: 'text', text: 'x' }, sendAt, timezone: 'UTC' });
    await app
      .get<Queue>(getQueueToken(QUEUES.scheduledMessages))
      .add(JOBS.sendScheduledMessage, { scheduleId: record.id }, { ...SEND_JOB_OPTIONS, jobId: record.id });
    await settled(record.id, 'failed');
    expect(await db.prisma.scheduledMessage.findUniqueOrThrow({ where: { id: record.id } })).toMatchObject({ error: 'not sent within 2000 ms' });
    expect(await db.prisma.outboundMessage.findFirst({ where: { scheduleId: record.id } })).toMatchObject({ status: 'failed' });
  });

  it('sends on time what a stopping scheduler had picked up, before it exits', async () => {
    const stopping = await startScheduler(isolatedPrefix('sstop'));
    const record = await schedule(stopping, 3_000);
    const queue = stopping.get<Queue>(getQueueToken(QUEUES.scheduledMessages));
    await eventually(async () => ((await (await queue.getJob(record.id))?.getState()) === 'active' ? true : undefined), 5_000, 'picked up early');
    await stopping.close();
    apps.splice(apps.indexOf(stopping), 1);
    expect(await statusOf(record.id)).toBe('sent');
    const sends = sendsOf(record.id);
    expect(sends).toHaveLength(1);
    expect(sends[0].at - record.sendAt.getTime()).toBeLessThan(500);
  });
});
