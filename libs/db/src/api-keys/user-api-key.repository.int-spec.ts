import { PrismaPg } from '@prisma/adapter-pg';
import { randomUUID } from 'node:crypto';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { requiredEnv } from '../../../../test/support/test-env';
import { PrismaService } from '../prisma.service';
import { UserApiKeyRepository } from './user-api-key.repository';

describe('UserApiKeyRepository', () => {
  const fixtures = new DbFixtures();
  const prisma = new PrismaService({ adapter: new PrismaPg({ connectionString: requiredEnv('DATABASE_URL') }) });
  const keys = new UserApiKeyRepository(prisma);
  let userId: string;

  beforeAll(async () => {
    userId = (await fixtures.user()).id;
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await fixtures.close();
  });

  const create = (expiresAt: Date | null = null) => keys.create({ ownerId: userId, name: 'k', expiresAt }, { prefix: 'wgk_abc', hash: randomUUID() });

  it('finds a usable key by hash, never returning the hash', async () => {
    const key = await create();
    const row = await prisma.userApiKey.findUniqueOrThrow({ where: { id: key.id } });
    const found = await keys.findUsableByHash(row.keyHash, new Date());
    expect(found).toEqual(key);
    expect(Object.keys(found!)).not.toContain('keyHash');
  });

  it('does not find revoked or expired keys', async () => {
    const expired = await create(new Date(Date.now() - 1));
    const revoked = await create();
    await keys.revoke(userId, revoked.id, new Date());
    for (const key of [expired, revoked]) {
      const row = await prisma.userApiKey.findUniqueOrThrow({ where: { id: key.id } });
      expect(await keys.findUsableByHash(row.keyHash, new Date())).toBeNull();
    }
  });

  it("revokes idempotently, only the owner's key, keeping the first revocation time", async () => {
    const key = await create();
    const first = await keys.revoke(userId, key.id, new Date('2026-01-01T00:00:00Z'));
    const again = await keys.revoke(userId, key.id, new Date('2026-02-01T00:00:00Z'));
    expect(again!.revokedAt).toEqual(first!.revokedAt);
    expect(await keys.revoke(randomUUID(), key.id, new Date())).toBeNull();
  });

  it('records use at most once per resolution', async () => {
    const key = await create();
    const at = new Date('2026-03-01T10:00:00Z');
    await keys.touch(key, at, 60_000);
    await keys.touch(key, new Date(at.getTime() + 30_000), 60_000);
    expect((await keys.listForOwner(userId)).find((k) => k.id === key.id)!.lastUsedAt).toEqual(at);
    await keys.touch(key, new Date(at.getTime() + 61_000), 60_000);
    expect((await keys.listForOwner(userId)).find((k) => k.id === key.id)!.lastUsedAt).toEqual(new Date(at.getTime() + 61_000));
  });
});
