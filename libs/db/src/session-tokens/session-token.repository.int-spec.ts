import { PrismaPg } from '@prisma/adapter-pg';
import { randomUUID } from 'node:crypto';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { requiredEnv } from '../../../../test/support/test-env';
import { PrismaService } from '../prisma.service';
import { SessionTokenRepository } from './session-token.repository';

describe('SessionTokenRepository', () => {
  const fixtures = new DbFixtures();
  const prisma = new PrismaService({ adapter: new PrismaPg({ connectionString: requiredEnv('DATABASE_URL') }) });
  const tokens = new SessionTokenRepository(prisma);

  afterAll(async () => {
    await prisma.$disconnect();
    await fixtures.close();
  });

  it('creates, finds by hash until revoked, and lists per session', async () => {
    const session = await fixtures.session((await fixtures.user()).id);
    const hash = randomUUID();
    const token = await tokens.create({ ownerId: session.id, name: 't' }, { prefix: 'wgs_abc', hash });
    expect(await tokens.findUsableByHash(hash, new Date())).toEqual(token);
    expect(await tokens.revoke(randomUUID(), token.id, new Date())).toBeNull();
    await tokens.revoke(session.id, token.id, new Date());
    expect(await tokens.findUsableByHash(hash, new Date())).toBeNull();
    expect((await tokens.listForOwner(session.id)).map((t) => t.id)).toEqual([token.id]);
  });
});
