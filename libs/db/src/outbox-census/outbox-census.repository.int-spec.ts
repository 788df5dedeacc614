import { PrismaPg } from '@prisma/adapter-pg';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { requiredEnv } from '../../../../test/support/test-env';
import { PrismaService } from '../prisma.service';
import { OutboxCensusRepository } from './outbox-census.repository';

/** outbox_messages counts what waits to be handed to WhatsApp, in every session, and nothing else. */
describe('OutboxCensusRepository', () => {
  const fixtures = new DbFixtures();
  const prisma = new PrismaService({ adapter: new PrismaPg({ connectionString: requiredEnv('DATABASE_URL') }) });
  const census = new OutboxCensusRepository(prisma);

  afterAll(async () => {
    await prisma.$disconnect();
    await fixtures.close();
  });

  it('counts queued and sending messages across sessions, not settled ones', async () => {
    // The run's database holds other files' messages too: compare with what was there before.
    const before = await census.pending();
    const userId = (await fixtures.user()).id;
    const sessions = [await fixtures.session(userId), await fixtures.session(userId)];
    const add = async (sessionId: string, status: 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled') => {
      const { id } = await fixtures.outboundMessage(sessionId);
      await fixtures.prisma.outboundMessage.update({ where: { id }, data: { status } });
    };
    for (const status of ['queued', 'queued', 'sending', 'sent', 'failed'] as const) await add(sessions[0].id, status);
    for (const status of ['queued', 'sending', 'sending', 'cancelled'] as const) await add(sessions[1].id, status);
    expect(await census.pending()).toEqual({ queued: before.queued + 3, sending: before.sending + 3 });
  });
});
