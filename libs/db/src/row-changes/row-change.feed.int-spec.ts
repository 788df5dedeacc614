import { PrismaPg } from '@prisma/adapter-pg';
import { Client } from 'pg';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { requiredEnv } from '../../../../test/support/test-env';
import { DatabasePool } from '../database-pool';
import { PrismaService } from '../prisma.service';
import { SessionRepository } from '../sessions/session.repository';
import { UserApiKeyRepository } from '../api-keys/user-api-key.repository';
import { RowChangeFeed } from './row-change.feed';
import { RowCaches } from './row-caches';

const eventually = async (check: () => Promise<boolean>, what: string) => {
  for (let waited = 0; waited < 5_000; waited += 20) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${what} did not happen`);
};

describe('row caches over the row-change feed (real PostgreSQL)', () => {
  const fixtures = new DbFixtures();
  const pool = new DatabasePool({ connectionString: requiredEnv('DATABASE_URL') });
  const prisma = new PrismaService({ adapter: new PrismaPg(pool) });
  const feed = new RowChangeFeed(pool);
  const caches = new RowCaches(feed, { ttlMs: 60_000, maxEntries: 100 });
  const sessions = new SessionRepository(prisma, pool, caches);
  const apiKeys = new UserApiKeyRepository(prisma, caches);
  /** Another process's connection: its writes reach this one only as notices. */
  const elsewhere = new Client({ connectionString: requiredEnv('DATABASE_URL') });
  let userId: string;

  beforeAll(async () => {
    await caches.onModuleInit();
    await elsewhere.connect();
    userId = (await fixtures.user()).id;
  });
  afterAll(async () => {
    await elsewhere.end();
    await feed.onApplicationShutdown();
    await prisma.$disconnect();
    await pool.end();
    await fixtures.close();
  });

  it('listens once subscribed', () => {
    expect(feed.listening).toBe(true);
  });

  it('drops a cached session when another process changes it, and at once after its own write', async () => {
    const { id } = await fixtures.session(userId);
    expect((await sessions.findById(id))?.name).toBe('Test session');
    await elsewhere.query(`UPDATE sessions SET name = 'renamed elsewhere' WHERE id = $1`, [id]);
    await eventually(async () => (await sessions.findById(id))?.name === 'renamed elsewhere', 'the change to be heard');

    await sessions.setAutoConnect(id, true);
    expect((await sessions.findById(id))?.autoConnect).toBe(true);
  });

  it('refuses a revoked API key at once, and one revoked by another process once heard', async () => {
    const hash = (n: number) => `hash-${userId}-${n}`;
    const create = async (n: number) => apiKeys.create({ ownerId: userId, name: `k${n}`, expiresAt: null }, { prefix: 'wgk_x', hash: hash(n) });
    const mine = await create(1);
    const theirs = await create(2);
    expect(await apiKeys.findUsableByHash(hash(1), new Date())).toMatchObject({ id: mine.id });
    expect(await apiKeys.findUsableByHash(hash(2), new Date())).toMatchObject({ id: theirs.id });

    await apiKeys.revoke(userId, mine.id, new Date());
    expect(await apiKeys.findUsableByHash(hash(1), new Date())).toBeNull();

    await elsewhere.query('UPDATE user_api_keys SET revoked_at = now() WHERE id = $1', [theirs.id]);
    await eventually(async () => (await apiKeys.findUsableByHash(hash(2), new Date())) === null, 'the revocation to be heard');
  });
});
