import { randomBytes, randomUUID } from 'node:crypto';
import type { OutboundContent } from '@app/contracts';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { requiredEnv } from '../../../../test/support/test-env';
import { DatabasePool } from '../database-pool';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaService } from '../prisma.service';
import type { OutboxAcceptRow } from './outbound-message.record';
import { OutboundMessageRepository } from './outbound-message.repository';
import { OutboxSendRepository } from './outbox-send.repository';

const to = '6281234567890@s.whatsapp.net';
const text = (value: string): OutboundContent => ({ kind: 'text', text: value });

describe('OutboxSendRepository', () => {
  const fixtures = new DbFixtures();
  const pool = new DatabasePool({ connectionString: requiredEnv('DATABASE_URL') });
  const prisma = new PrismaService({ adapter: new PrismaPg(pool) });
  const sends = new OutboxSendRepository(pool);
  const outbox = new OutboundMessageRepository(prisma);
  let userId: string;

  const row = (sessionId: string, value: string, overrides: Partial<OutboxAcceptRow> = {}): OutboxAcceptRow => ({
    id: randomUUID(),
    sessionId,
    waMessageId: `3EB0${randomBytes(9).toString('hex').toUpperCase()}`,
    toJid: to,
    content: text(value),
    traceId: null,
    epoch: 0,
    claim: false,
    queueLimit: 0,
    ...overrides,
  });
  const created = async (accepted: OutboxAcceptRow) => {
    const [outcome] = await sends.accept([accepted]);
    if (outcome?.outcome !== 'created') throw new Error(`expected created, got ${outcome?.outcome}`);
    return outcome.record;
  };

  beforeAll(async () => {
    userId = (await fixtures.user()).id;
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await pool.end();
    await fixtures.close();
  });

  it('accepts a batch in order, claimed or queued, and answers an earlier message for a repeated key', async () => {
    const { id: sessionId } = await fixtures.session(userId);
    const outcomes = await sends.accept([
      row(sessionId, 'one', { claim: true, idempotencyKey: 'k1' }),
      row(sessionId, 'two'),
      row(sessionId, 'three', { idempotencyKey: 'k1' }),
    ]);
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['created', 'created', 'duplicate']);
    const [one, two, three] = outcomes.map((outcome) => ('record' in outcome ? outcome.record : null));
    expect(one).toMatchObject({ status: 'sending', attempts: 1, content: text('one'), idempotencyKey: 'k1' });
    expect(two).toMatchObject({ status: 'queued', attempts: 0 });
    expect(three?.id).toBe(one?.id);

    // Acceptance order is sending order, even within one statement.
    const first = await sends.advance(sessionId, 0, [], true);
    expect(first.next?.id).toBe(one?.id);
    const second = await sends.advance(sessionId, 0, [one!.id], true);
    expect(second.next).toMatchObject({ id: two?.id, status: 'sending', attempts: 1 });
  });

  it('refuses rows of a stale lease epoch and of a session that does not exist, writing nothing', async () => {
    const { id: sessionId } = await fixtures.session(userId);
    await fixtures.prisma.session.update({ where: { id: sessionId }, data: { leaseEpoch: 3n } });
    const outcomes = await sends.accept([
      row(sessionId, 'stale', { epoch: 2 }),
      row('no-such-session', 'gone', { epoch: null }),
      row(sessionId, 'fresh', { epoch: 3 }),
    ]);
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['stale', 'stale', 'created']);
    expect((await outbox.counts(sessionId)).queued).toBe(1);
  });

  it('accepts with no owner asking (epoch null) and refuses past the queue limit, counting the batch', async () => {
    const { id: sessionId } = await fixtures.session(userId);
    await created(row(sessionId, 'waiting', { epoch: null }));
    const outcomes = await sends.accept([
      row(sessionId, 'a', { queueLimit: 3 }),
      row(sessionId, 'b', { queueLimit: 3 }),
      row(sessionId, 'c', { queueLimit: 3 }),
    ]);
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['created', 'created', 'queue-full']);
    expect(outcomes[2]).toEqual({ outcome: 'queue-full', pending: 3 });
  });

  it('skips what the drainer holds and messages waiting for a retry, and tells when the next one is due', async () => {
    const { id: sessionId } = await fixtures.session(userId);
    const held = await created(row(sessionId, 'held', { claim: true }));
    const later = await created(row(sessionId, 'later'));
    const retryAt = new Date(Date.now() + 60_000);
    await outbox.scheduleRetry((await sends.advance(sessionId, 0, [held.id], true)).next!.id, 'boom', retryAt);
    expect(await sends.advance(sessionId, 0, [held.id], true)).toEqual({ leaseCurrent: true, next: null, nextRetryAt: retryAt });
    expect((await outbox.find(later.id))?.status).toBe('queued');
  });

  it('claims nothing under a stale lease, and a claim tells settled from stale', async () => {
    const { id: sessionId } = await fixtures.session(userId);
    const message = await created(row(sessionId, 'm'));
    await fixtures.prisma.session.update({ where: { id: sessionId }, data: { leaseEpoch: 1n } });
    expect(await sends.advance(sessionId, 0, [], true)).toMatchObject({ leaseCurrent: false, next: null });
    expect(await sends.claim(message.id, sessionId, 0)).toBe('stale');
    expect(await sends.claim(message.id, sessionId, 1)).toBe('claimed');
    await outbox.markFailed(message.id, 'x');
    expect(await sends.claim(message.id, sessionId, 1)).toBe('settled');
  });

  it('records sends in batches and moves receipts forward only, reporting each status reached', async () => {
    const { id: sessionId } = await fixtures.session(userId);
    const a = await created(row(sessionId, 'a', { claim: true }));
    const b = await created(row(sessionId, 'b', { claim: true }));
    const handedOver = new Date(Date.now() - 5_000);
    await sends.markSent([
      { id: a.id, sentAt: handedOver },
      { id: b.id, sentAt: new Date() },
    ]);
    expect(await outbox.find(a.id)).toMatchObject({ status: 'sent', sentAt: handedOver });

    const outcomes = await sends.applyReceipts([
      { sessionId, waMessageId: a.waMessageId, status: 'delivered' },
      { sessionId, waMessageId: a.waMessageId, status: 'read' },
      { sessionId, waMessageId: b.waMessageId, status: 'read' },
    ]);
    const reached = Object.fromEntries(outcomes.map((outcome) => [outcome.record.id, outcome.reached]));
    expect(reached).toEqual({ [a.id]: ['delivered', 'read'], [b.id]: ['read'] });
    expect(await outbox.find(a.id)).toMatchObject({ status: 'read', deliveredAt: expect.any(Date), readAt: expect.any(Date) });
    expect(await outbox.find(b.id)).toMatchObject({ status: 'read', deliveredAt: null });
    expect(await sends.applyReceipts([{ sessionId, waMessageId: b.waMessageId, status: 'delivered' }])).toEqual([]);
  });

  it('fails what still waits when a session ends for good, and nothing already sent', async () => {
    const { id: sessionId } = await fixtures.session(userId);
    const sent = await created(row(sessionId, 'sent', { claim: true }));
    await sends.markSent([{ id: sent.id, sentAt: new Date() }]);
    const queued = await created(row(sessionId, 'queued'));
    const sending = await created(row(sessionId, 'sending', { claim: true }));
    const failed = await outbox.failPending(sessionId, 'session logged_out: logged out by request');
    expect(failed.map((record) => record.id).sort()).toEqual([queued.id, sending.id].sort());
    expect(await outbox.find(queued.id)).toMatchObject({ status: 'failed', error: 'session logged_out: logged out by request' });
    expect((await outbox.find(sent.id))?.status).toBe('sent');
  });

  it('lists the sessions that have messages waiting', async () => {
    const { id: waiting } = await fixtures.session(userId);
    const { id: empty } = await fixtures.session(userId);
    await created(row(waiting, 'w'));
    expect(await sends.sessionsWithPending([waiting, empty])).toEqual([waiting]);
  });
});
