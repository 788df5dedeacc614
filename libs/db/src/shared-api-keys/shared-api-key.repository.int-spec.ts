import { PrismaPg } from '@prisma/adapter-pg';
import { randomUUID } from 'node:crypto';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { requiredEnv } from '../../../../test/support/test-env';
import { PrismaService } from '../prisma.service';
import { SharedApiKeyRepository } from './shared-api-key.repository';

describe('SharedApiKeyRepository (api_keys, seed 003)', () => {
  const fixtures = new DbFixtures();
  const prisma = new PrismaService({ adapter: new PrismaPg({ connectionString: requiredEnv('DATABASE_URL') }) });
  const shared = new SharedApiKeyRepository(prisma);

  afterAll(async () => {
    await prisma.$disconnect();
    await fixtures.close();
  });

  it('returns the latest active access_token of a user, or null', async () => {
    const owner = (await fixtures.user()).id;
    expect(await shared.findLatestActiveToken(owner)).toBeNull();
    await prisma.sharedApiKey.createMany({
      data: [
        { userId: owner, accessToken: 'old', isActive: true, createdAt: new Date('2026-01-01') },
        { userId: owner, accessToken: 'current', isActive: true, createdAt: new Date('2026-02-01') },
        { userId: owner, accessToken: 'inactive', isActive: false, createdAt: new Date('2026-03-01') },
        { userId: randomUUID(), accessToken: 'someone else', isActive: true, createdAt: new Date('2026-04-01') },
      ],
    });
    expect(await shared.findLatestActiveToken(owner)).toBe('current');
  });
});
