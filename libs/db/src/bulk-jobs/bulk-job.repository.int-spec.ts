import { PrismaPg } from '@prisma/adapter-pg';
import { randomBytes, randomUUID } from 'node:crypto';
import type { OutboundContent } from '@app/contracts';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { requiredEnv } from '../../../../test/support/test-env';
import { DatabasePool } from '../database-pool';
import type { NewOutbound } from '../outbound/outbound-message.record';
import { OutboundMessageRepository } from '../outbound/outbound-message.repository';
import { OutboxSendRepository } from '../outbound/outbox-send.repository';
import { PrismaService } from '../prisma.service';
import { ScheduleRepository } from '../schedules/schedule.repository';
import { BulkJobRepository } from './bulk-job.repository';

const waId = () => `3EB0${randomBytes(9).toString('hex').toUpperCase()}`;
const to = '6281234567890@s.whatsapp.net';
const text = (value: string): OutboundContent => ({ kind: 'text', text: value });

describe('bulk job and schedule repositories', () => {
  const fixtures = new DbFixtures();
  const pool = new DatabasePool({ connectionString: requiredEnv('DATABASE_URL') });
  const prisma = new PrismaService({ adapter: new PrismaPg(pool) });
  const jobs = new BulkJobRepository(prisma);
  const schedules = new ScheduleRepository(prisma);
  const outbox = new OutboundMessageRepository(prisma);
  const sends = new OutboxSendRepository(pool);
  /** Accepted with no owner asking, as a producer's fallback does; an earlier message comes back for a repeated item. */
  const enqueue = async (message: NewOutbound) => {
    const [outcome] = await sends.accept([{ ...message, id: randomUUID(), traceId: null, epoch: null, claim: false, queueLimit: 500 }]);
    if (outcome?.outcome !== 'created' && outcome?.outcome !== 'duplicate') throw new Error(`not accepted: ${outcome?.outcome}`);
    return { record: outcome.record, created: outcome.outcome === 'created' };
  };
  let sessionId: string;

  const newJob = (items = 3, idempotencyKey?: string) =>
    jobs.create({
      sessionId,
      kind: 'text',
      items: Array.from({ length: items }, (_, index) => ({ to, content: text(`item ${index}`) })),
      delayMs: 0,
      idempotencyKey,
      acceptedAt: new Date(),
    });
  const enqueueItem = (jobId: string, jobIndex: number) =>
    enqueue({ sessionId, waMessageId: waId(), toJid: to, content: text(`item ${jobIndex}`), jobId, jobIndex });

  beforeAll(async () => {
    sessionId = (await fixtures.session((await fixtures.user()).id)).id;
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await pool.end();
    await fixtures.close();
  });

  it('creates a job once per idempotency key and keeps its items', async () => {
    const first = await newJob(2, 'key-1');
    const again = await newJob(5, 'key-1');
    expect(first.created).toBe(true);
    expect(again).toEqual({ record: first.record, created: false });
    expect(first.record).toMatchObject({ status: 'queued', total: 2, currentIndex: 0, successCount: 0, errorCount: 0, delayMs: 0 });
    expect(await jobs.items(first.record.id)).toEqual([
      { to, content: text('item 0') },
      { to, content: text('item 1') },
    ]);
  });

  it('counts an item once however often it is reported', async () => {
    const { record } = await newJob(3);
    expect(await jobs.start(record.id)).toMatchObject({ status: 'processing' });
    expect(await jobs.advance(record.id, 0, 'success')).toBe(true);
    expect(await jobs.advance(record.id, 0, 'success')).toBe(false);
    expect(await jobs.advance(record.id, 1, 'error')).toBe(true);
    expect(await jobs.find(record.id)).toMatchObject({ currentIndex: 2, successCount: 1, errorCount: 1 });
  });

  it('cancel stops the waiting messages and blocks the item the job is at from going into the outbox', async () => {
    const { record } = await newJob(4);
    await jobs.start(record.id);
    const sent = await enqueueItem(record.id, 0);
    await prisma.outboundMessage.update({ where: { id: sent.record.id }, data: { status: 'sent' } });
    await jobs.advance(record.id, 0, 'success');
    const waiting = await enqueueItem(record.id, 1);

    const result = await jobs.cancel(sessionId, record.id, waId());
    expect(result).toMatchObject({ outcome: 'cancelled', cancelledMessages: 1, record: { status: 'cancelled', currentIndex: 1 } });
    expect((await outbox.find(waiting.record.id))?.status).toBe('cancelled');
    // A run that had not put item 1 in yet finds it cancelled; so does one about to.
    expect((await enqueueItem(record.id, 1)).record).toMatchObject({ id: waiting.record.id, status: 'cancelled' });
    expect(await outbox.counts(sessionId, record.id)).toMatchObject({ sent: 1, cancelled: 1, queued: 0 });

    expect(await jobs.cancel(sessionId, record.id, waId())).toMatchObject({ outcome: 'finished', record: { status: 'cancelled' } });
    expect(await jobs.cancel('another-session', record.id, waId())).toEqual({ outcome: 'not-found' });
  });

  it('cancel before the item is in the outbox leaves a cancelled placeholder that a late run finds', async () => {
    const { record } = await newJob(2);
    await jobs.start(record.id);
    await jobs.cancel(sessionId, record.id, waId());
    const late = await enqueueItem(record.id, 0);
    expect(late).toMatchObject({ created: false, record: { status: 'cancelled', jobIndex: 0 } });
    expect(await jobs.start(record.id)).toBeNull();
    expect(await jobs.unfinished(new Date(Date.now() + 1_000), 1_000)).not.toContain(record.id);
  });

  it('fails a message at its deadline only while it still waits', async () => {
    const { record } = await newJob(2);
    const queued = await enqueueItem(record.id, 0);
    const sending = await enqueueItem(record.id, 1);
    await prisma.outboundMessage.update({ where: { id: sending.record.id }, data: { status: 'sending' } });
    expect(await outbox.failIfStillQueued(queued.record.id, 'too slow')).toBe(true);
    expect(await outbox.failIfStillQueued(sending.record.id, 'too slow')).toBe(false);
    expect(await outbox.find(queued.record.id)).toMatchObject({ status: 'failed', error: 'too slow' });
    expect((await outbox.find(sending.record.id))?.status).toBe('sending');
  });

  it('cancels a schedule before and while its message waits, but not once it is being sent', async () => {
    const sendAt = new Date(Date.now() + 60_000);
    const create = () => schedules.create({ sessionId, toJid: to, content: text('later'), sendAt, timezone: 'Asia/Jakarta' });
    const enqueueFor = (scheduleId: string) => enqueue({ sessionId, waMessageId: waId(), toJid: to, content: text('later'), scheduleId });

    const notYet = (await create()).record;
    expect(await schedules.cancel(sessionId, notYet.id, waId())).toMatchObject({ outcome: 'cancelled', record: { status: 'cancelled' } });
    expect((await enqueueFor(notYet.id)).record.status).toBe('cancelled');

    const waiting = (await create()).record;
    const message = await enqueueFor(waiting.id);
    expect(await schedules.cancel(sessionId, waiting.id, waId())).toMatchObject({
      outcome: 'cancelled',
      record: { message: { id: message.record.id, status: 'cancelled' } },
    });

    const sending = (await create()).record;
    const inFlight = await enqueueFor(sending.id);
    await prisma.outboundMessage.update({ where: { id: inFlight.record.id }, data: { status: 'sending' } });
    expect(await schedules.cancel(sessionId, sending.id, waId())).toMatchObject({ outcome: 'too-late', record: { status: 'pending' } });
    expect(await schedules.settle(sending.id, 'sent')).toBe(true);
    expect(await schedules.cancel(sessionId, sending.id, waId())).toMatchObject({ outcome: 'too-late', record: { status: 'sent' } });
    expect(await schedules.cancel(sessionId, 'missing', waId())).toEqual({ outcome: 'not-found' });
  });

  it('lists pending schedules due by a time, soonest first', async () => {
    const soon = await schedules.create({ sessionId, toJid: to, content: text('soon'), sendAt: new Date(Date.now() + 1_000), timezone: 'UTC' });
    const later = await schedules.create({ sessionId, toJid: to, content: text('later'), sendAt: new Date(Date.now() + 3_600_000), timezone: 'UTC' });
    const due = (await schedules.pendingDueBy(new Date(Date.now() + 10_000), 1_000)).map((row) => row.id);
    expect(due).toContain(soon.record.id);
    expect(due).not.toContain(later.record.id);
    // Schedulers of other test files share this database: leave nothing due behind.
    await schedules.cancel(sessionId, soon.record.id, waId());
  });

  it('offers the sweep only unfinished jobs that have been quiet for a while', async () => {
    const { record } = await newJob(1);
    expect(await jobs.unfinished(new Date(record.updatedAt.getTime() - 1), 1_000)).not.toContain(record.id);
    expect(await jobs.unfinished(new Date(record.updatedAt.getTime() + 1), 1_000)).toContain(record.id);
    await jobs.finish(record.id, 'completed');
    expect(await jobs.unfinished(new Date(Date.now() + 1_000), 1_000)).not.toContain(record.id);
  });
});
