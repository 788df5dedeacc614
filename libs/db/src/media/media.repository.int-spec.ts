import { PrismaPg } from '@prisma/adapter-pg';
import { randomUUID } from 'node:crypto';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { requiredEnv } from '../../../../test/support/test-env';
import { PrismaService } from '../prisma.service';
import { MediaRepository } from './media.repository';

describe('MediaRepository', () => {
  const fixtures = new DbFixtures();
  const prisma = new PrismaService({ adapter: new PrismaPg({ connectionString: requiredEnv('DATABASE_URL') }) });
  const media = new MediaRepository(prisma);
  let sessionId: string;

  const stored = (text: string) =>
    media.create({ sessionId, sha256: 'not-checked-here', mimeType: 'text/plain', fileName: `${text}.txt`, bytes: Buffer.from(text) });
  const outbound = (mediaId: string, status: 'queued' | 'sending' | 'sent' | 'failed') =>
    fixtures.prisma.outboundMessage.create({
      data: {
        sessionId,
        waMessageId: randomUUID(),
        toJid: '6281234567890@s.whatsapp.net',
        kind: 'document',
        status,
        content: { kind: 'document', mediaId, mimeType: 'text/plain' },
      },
    });

  beforeAll(async () => {
    sessionId = (await fixtures.session((await fixtures.user()).id)).id;
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await fixtures.close();
  });

  it('round-trips the bytes and reports the size without them', async () => {
    const bytes = Buffer.from([0, 1, 2, 254, 255]);
    const record = await media.create({ sessionId, sha256: 'abc', mimeType: 'application/pdf', fileName: null, bytes });
    expect(record).toEqual({
      id: expect.any(String),
      sessionId,
      sha256: 'abc',
      mimeType: 'application/pdf',
      fileName: null,
      size: 5,
      createdAt: expect.any(Date),
    });
    const found = await media.findWithBytes(record.id);
    expect(Buffer.isBuffer(found!.bytes) && found!.bytes.equals(bytes)).toBe(true);
    expect(await media.findWithBytes(randomUUID())).toBeNull();
  });

  it('purges old media that no waiting message or schedule refers to', async () => {
    const [queued, sending, sent, scheduled, orphan] = await Promise.all(['queued', 'sending', 'sent', 'scheduled', 'orphan'].map(stored));
    await outbound(queued.id, 'queued');
    await outbound(sending.id, 'sending');
    await outbound(sent.id, 'sent');
    await fixtures.prisma.scheduledMessage.create({
      data: {
        sessionId,
        toJid: '6281234567890@s.whatsapp.net',
        kind: 'document',
        content: { kind: 'document', mediaId: scheduled.id },
        sendAt: new Date(Date.now() + 60_000),
        timezone: 'Asia/Jakarta',
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const young = await stored('young');

    await media.purgeUnreferenced(new Date(young.createdAt.getTime()));

    const left = async (id: string) => (await media.findWithBytes(id)) !== null;
    expect(await left(queued.id)).toBe(true);
    expect(await left(sending.id)).toBe(true);
    expect(await left(scheduled.id)).toBe(true);
    expect(await left(young.id)).toBe(true);
    expect(await left(sent.id)).toBe(false);
    expect(await left(orphan.id)).toBe(false);
  });
});
