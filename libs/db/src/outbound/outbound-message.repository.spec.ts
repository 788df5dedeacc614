import { PrismaPg } from '@prisma/adapter-pg';
import { randomBytes } from 'node:crypto';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { requiredEnv } from '../../../../test/support/test-env';
import { PrismaService } from '../prisma.service';
import { OutboundMessageRepository } from './outbound-message.repository';

const to = '6281234567890@s.whatsapp.net';

describe('OutboundMessageRepository', () => {
  const fixtures = new DbFixtures();
  const prisma = new PrismaService({ adapter: new PrismaPg({ connectionString: requiredEnv('DATABASE_URL') }) });
  const outbox = new OutboundMessageRepository(prisma);
  let userId: string;

  const accept = async (sessionId: string, text: string) =>
    (await outbox.enqueue({ sessionId, waMessageId: `3EB0${randomBytes(9).toString('hex')}`, toJid: to, content: { kind: 'text', text } }, 0)).record;

  beforeAll(async () => {
    userId = (await fixtures.user()).id;
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await fixtures.close();
  });

  it('claims oldest first and records the previous send in the same step', async () => {
    const { id: sessionId } = await fixtures.session(userId);
    const first = await accept(sessionId, 'one');
    const second = await accept(sessionId, 'two');

    const peeked = await outbox.advance(sessionId, 0, null, false);
    expect(peeked).toMatchObject({ leaseCurrent: true, next: { id: first.id, status: 'queued', attempts: 0 } });

    const one = await outbox.advance(sessionId, 0, null, true);
    expect(one.next).toMatchObject({ id: first.id, status: 'sending', attempts: 1, content: { kind: 'text', text: 'one' } });
    const two = await outbox.advance(sessionId, 0, first.id, true);
    expect(two.next).toMatchObject({ id: second.id, status: 'sending', attempts: 1 });
    expect(await outbox.find(first.id)).toMatchObject({ status: 'sent', sentAt: expect.any(Date) });

    const none = await outbox.advance(sessionId, 0, second.id, true);
    expect(none).toEqual({ leaseCurrent: true, next: null, nextRetryAt: null });
    expect(await outbox.find(second.id)).toMatchObject({ status: 'sent' });
  });

  it('tells when the next retry falls due, and skips messages waiting for one', async () => {
    const { id: sessionId } = await fixtures.session(userId);
    const waiting = await accept(sessionId, 'later');
    expect((await outbox.advance(sessionId, 0, null, true)).next?.id).toBe(waiting.id);
    const retryAt = new Date(Date.now() + 60_000);
    await outbox.scheduleRetry(waiting.id, 'boom', retryAt);
    expect(await outbox.advance(sessionId, 0, null, true)).toEqual({ leaseCurrent: true, next: null, nextRetryAt: retryAt });
  });

  it('claims nothing under a stale lease, yet records what was sent', async () => {
    const { id: sessionId } = await fixtures.session(userId);
    const sent = await accept(sessionId, 'sent');
    const other = await accept(sessionId, 'other');
    await outbox.advance(sessionId, 0, null, true);
    await fixtures.prisma.session.update({ where: { id: sessionId }, data: { leaseEpoch: 1n } });

    expect(await outbox.advance(sessionId, 0, sent.id, true)).toMatchObject({ leaseCurrent: false, next: null });
    expect(await outbox.find(sent.id)).toMatchObject({ status: 'sent' });
    expect(await outbox.find(other.id)).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('moves receipts forward only', async () => {
    const { id: sessionId } = await fixtures.session(userId);
    const message = await accept(sessionId, 'r');
    await outbox.advance(sessionId, 0, null, true);
    await outbox.markSent(message.id);

    expect(await outbox.applyReceipt(sessionId, message.waMessageId, 'read')).toMatchObject({ id: message.id, status: 'read', readAt: expect.any(Date), deliveredAt: null });
    expect(await outbox.applyReceipt(sessionId, message.waMessageId, 'delivered')).toBeNull();
    expect(await outbox.find(message.id)).toMatchObject({ status: 'read' });
  });
});
