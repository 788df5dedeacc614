import { PrismaPg } from '@prisma/adapter-pg';
import type { PinoLogger } from 'nestjs-pino';
import type { Counter } from 'prom-client';
import type { InboundMessageEvent, MessageStatusChangedEvent, PhoneSentMessageEvent } from '@app/contracts';
import { AllowedNumberRepository, MessageHistoryRepository, OutboundMessageRepository, SessionRepository } from '@app/db';
import { DatabasePool } from '../../../../libs/db/src/database-pool';
import { PrismaService } from '../../../../libs/db/src/prisma.service';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { requiredEnv } from '../../../../test/support/test-env';
import { HistoryRecorder } from './history.recorder';

const logger = { setContext: () => undefined, warn: () => undefined } as unknown as PinoLogger;
const counter = { inc: () => undefined } as unknown as Counter<string>;

describe('HistoryRecorder gate: judged at the time of the message, however late the event is processed', () => {
  const fixtures = new DbFixtures();
  const pool = new DatabasePool({ connectionString: requiredEnv('DATABASE_URL') });
  const prisma = new PrismaService({ adapter: new PrismaPg(pool) });
  const allowed = new AllowedNumberRepository(prisma);
  const recorder = new HistoryRecorder(
    allowed,
    new MessageHistoryRepository(prisma),
    new OutboundMessageRepository(prisma),
    new SessionRepository(prisma, pool),
    logger,
    counter,
  );

  afterAll(async () => {
    await prisma.$disconnect();
    await pool.end();
    await fixtures.close();
  });

  /** A session whose phone is an allowed number made active at `activeAt`. */
  const sessionAllowedAt = async (activeAt: Date) => {
    const session = await fixtures.session((await fixtures.user()).id);
    const number = await fixtures.allowedNumber(session.id);
    await fixtures.prisma.allowedNumber.update({ where: { id: number.id }, data: { activeSince: activeAt } });
    return { sessionId: session.id, phone: number.whatsappNumber, numberId: number.id };
  };
  const sentAt = async (sessionId: string, at: Date): Promise<MessageStatusChangedEvent> => {
    const message = await fixtures.outboundMessage(sessionId);
    const row = await fixtures.prisma.outboundMessage.update({ where: { id: message.id }, data: { status: 'sent', sentAt: at } });
    return { sessionId, outboundId: row.id, waMessageId: row.waMessageId, to: row.toJid, status: 'sent', error: null, at: new Date().toISOString() };
  };
  const inbound = (sessionId: string, ownPhone: string, at: Date, waMessageId: string): InboundMessageEvent => ({
    sessionId,
    waMessageId,
    chatJid: '6281234567890@s.whatsapp.net',
    isGroup: false,
    senderJid: '6281234567890@s.whatsapp.net',
    senderPhone: '6281234567890',
    pushName: 'Budi',
    kind: 'text',
    text: 'Halo',
    quotedMessageId: null,
    mentions: [],
    mentionsMe: false,
    ownPhone,
    sentAt: at.toISOString(),
    offline: false,
    traceId: 'trace-gate',
  });

  it('keeps out a message sent before the number was allowed, and keeps one sent after', async () => {
    const allowedAt = new Date(Date.now() - 60_000);
    const { sessionId } = await sessionAllowedAt(allowedAt);
    expect(await recorder.recordOutbound(await sentAt(sessionId, new Date(allowedAt.getTime() - 5)))).toBe('not-allowed');
    expect(await recorder.recordOutbound(await sentAt(sessionId, new Date(allowedAt.getTime() + 5)))).toBe('stored');
  });

  it('reads an inbound whole-second timestamp as "within that second"', async () => {
    const allowedAt = new Date(Math.floor(Date.now() / 1_000) * 1_000 - 60_000 + 400);
    const { sessionId, phone } = await sessionAllowedAt(allowedAt);
    const secondOfAllowing = new Date(allowedAt.getTime() - 400);
    expect(await recorder.recordInbound(inbound(sessionId, phone, new Date(secondOfAllowing.getTime() - 1_000), '3EB0GATE1'))).toBe('not-allowed');
    expect(await recorder.recordInbound(inbound(sessionId, phone, secondOfAllowing, '3EB0GATE2'))).toBe('stored');
  });

  it('stores nothing while the number is inactive, and re-allowing starts a new period', async () => {
    const { sessionId, numberId } = await sessionAllowedAt(new Date(Date.now() - 60_000));
    await allowed.updateStatus(numberId, 'inactive');
    expect(await recorder.recordOutbound(await sentAt(sessionId, new Date()))).toBe('not-allowed');
    const before = new Date();
    const reactivated = await allowed.updateStatus(numberId, 'active');
    expect(reactivated.activeSince!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 5);
    // Setting the status it already has does not move the start of the period.
    expect((await allowed.updateStatus(numberId, 'active')).activeSince).toEqual(reactivated.activeSince);
    expect(await recorder.recordOutbound(await sentAt(sessionId, new Date(before.getTime() - 1_000)))).toBe('not-allowed');
    expect(await recorder.recordOutbound(await sentAt(sessionId, new Date(reactivated.activeSince!.getTime() + 1)))).toBe('stored');
  });

  it("stores what the account typed on its phone as the session's own message, behind the same gate", async () => {
    const allowedAt = new Date(Date.now() - 60_000);
    const { sessionId, phone } = await sessionAllowedAt(allowedAt);
    const typed = (waMessageId: string, at: Date): PhoneSentMessageEvent => ({
      sessionId,
      ownPhone: phone,
      traceId: 'trace-phone',
      message: {
        waMessageId,
        chatJid: '120363041234567890@g.us',
        senderJid: `${phone}@s.whatsapp.net`,
        fromMe: true,
        kind: 'image',
        text: null,
        caption: 'Nota',
        mimeType: 'image/jpeg',
        fileName: null,
        quotedMessageId: null,
        mentions: [],
        pushName: null,
        sentAt: at.toISOString(),
        origin: 'live',
      },
    });
    expect(await recorder.recordSentFromPhone(typed('3EB0PHONE1', new Date(allowedAt.getTime() - 2_000)))).toBe('not-allowed');
    expect(await recorder.recordSentFromPhone(typed('3EB0PHONE2', new Date()))).toBe('stored');
    expect(await recorder.recordSentFromPhone(typed('3EB0PHONE2', new Date()))).toBe('duplicate');
    const stored = await fixtures.prisma.message.findMany({ where: { sessionId } });
    expect(stored.map((row) => [row.waMessageId, row.direction, row.type, row.caption, row.senderJid, row.chatJid])).toEqual([
      ['3EB0PHONE2', 'outbound', 'image', 'Nota', `${phone}@s.whatsapp.net`, '120363041234567890@g.us'],
    ]);
  });
});
