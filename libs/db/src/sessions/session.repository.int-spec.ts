import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { requiredEnv } from '../../../../test/support/test-env';
import { DatabasePool } from '../database-pool';
import { PrismaService } from '../prisma.service';
import { SessionRepository } from './session.repository';

describe('SessionRepository.listWantingConnection (real PostgreSQL)', () => {
  const fixtures = new DbFixtures();
  const pool = new DatabasePool({ connectionString: requiredEnv('DATABASE_URL') });
  const prisma = new PrismaService({ adapter: new PrismaPg(pool) });
  const sessions = new SessionRepository(prisma, pool);

  afterAll(async () => {
    await prisma.$disconnect();
    await pool.end();
    await fixtures.close();
  });

  it('lists the sessions that want a connection, in id order, and leaves out those that do not', async () => {
    const userId = (await fixtures.user()).id;
    const run = randomUUID().slice(0, 8);
    const wanting = await fixtures.session(userId, { id: `${run}-wanting-b` });
    const alsoWanting = await fixtures.session(userId, { id: `${run}-wanting-a` });
    const loggedOut = await fixtures.session(userId, { id: `${run}-logged-out` });
    // Fixtures create sessions nobody connects; the two that want one are flipped straight in the table.
    await prisma.session.updateMany({ where: { id: { in: [wanting.id, alsoWanting.id] } }, data: { autoConnect: true } });
    try {
      const listed = await sessions.listWantingConnection();
      expect(listed.filter((id) => id.startsWith(run))).toEqual([alsoWanting.id, wanting.id]);
    } finally {
      // No worker of a later test file may pick these up.
      await prisma.session.deleteMany({ where: { id: { in: [wanting.id, alsoWanting.id, loggedOut.id] } } });
    }
  });
});
