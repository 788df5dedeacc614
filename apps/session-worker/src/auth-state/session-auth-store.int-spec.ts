import { AuthStateRepository, StaleLeaseError } from '@app/db';
import { DatabasePool } from '@app/db/database-pool';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { requiredEnv } from '../../../../test/support/test-env';
import { AuthKeyWriter } from './auth-key.writer';
import { SessionAuthStore } from './session-auth-store';

const JSON_CODEC = { encode: (value: unknown) => JSON.stringify(value), decode: (json: string) => JSON.parse(json) as unknown };

describe('SessionAuthStore', () => {
  const fixtures = new DbFixtures();
  const pool = new DatabasePool({ connectionString: requiredEnv('DATABASE_URL') });
  const repository = new AuthStateRepository(pool);
  const writer = new AuthKeyWriter(repository);
  const storeOf = (sessionId: string, epoch = 0) => new SessionAuthStore(repository, writer, JSON_CODEC, sessionId, epoch);
  let userId: string;

  const keysOf = (sessionId: string) => fixtures.prisma.authKey.count({ where: { sessionId } });
  const preKeys = (from: number, count: number) =>
    Array.from({ length: count }, (_, index) => ({ type: 'pre-key', id: String(from + index), value: { public: `k${from + index}` } }));

  beforeAll(async () => {
    userId = (await fixtures.user()).id;
  });
  afterAll(async () => {
    await pool.end();
    await fixtures.close();
  });

  it('writes keys and creds under the current lease epoch and refuses a stale one', async () => {
    const { id } = await fixtures.session(userId);
    const store = storeOf(id);
    await store.writeKeys(preKeys(1, 3));
    await store.saveCreds({ me: 'x' });
    expect(await keysOf(id)).toBe(3);
    expect(await store.loadCreds()).toEqual({ me: 'x' });

    await fixtures.prisma.session.update({ where: { id }, data: { leaseEpoch: 1n } });
    await expect(store.writeKeys(preKeys(10, 1))).rejects.toBeInstanceOf(StaleLeaseError);
    expect(await keysOf(id)).toBe(3);
  });

  it('clearing waits for writes in flight and drops the writes that come after it', async () => {
    const { id } = await fixtures.session(userId);
    const store = storeOf(id);
    await store.saveCreds({ me: 'linked' });
    const inFlight = store.writeKeys(preKeys(1, 200));
    const cleared = store.clear();
    const late = store.writeKeys(preKeys(500, 5));
    const lateCreds = store.saveCreds({ me: 'late' });
    await Promise.all([inFlight, cleared, late, lateCreds]);

    expect(await keysOf(id)).toBe(0);
    expect(await store.loadCreds()).toBeNull();
  });

  const sessionKeys = (from: number, count: number) =>
    Array.from({ length: count }, (_, index) => ({ type: 'session', id: `c${from + index}.0`, value: { record: `r${from + index}` } }));

  it('answers repeated reads, missing keys included, from its cache, which its own writes keep exact', async () => {
    const { id } = await fixtures.session(userId);
    const store = storeOf(id);
    await store.writeKeys(sessionKeys(1, 2));
    expect(await store.getKeys('session', ['c1.0', 'c2.0', 'c3.0'])).toEqual(
      new Map([
        ['c1.0', { record: 'r1' }],
        ['c2.0', { record: 'r2' }],
      ]),
    );

    // Rows changed behind its back stay unseen: only the lease holder writes, so nothing else does.
    await fixtures.prisma.authKey.deleteMany({ where: { sessionId: id } });
    expect(await store.getKeys('session', ['c1.0', 'c3.0'])).toEqual(new Map([['c1.0', { record: 'r1' }]]));

    await store.writeKeys([
      { type: 'session', id: 'c1.0', value: null },
      { type: 'session', id: 'c3.0', value: { record: 'r3' } },
    ]);
    expect(await store.getKeys('session', ['c1.0', 'c3.0'])).toEqual(new Map([['c3.0', { record: 'r3' }]]));
    expect(await keysOf(id)).toBe(1);
  });

  it('reads one-time pre-keys from the database every time (they are not worth their memory)', async () => {
    const { id } = await fixtures.session(userId);
    const store = storeOf(id);
    await store.writeKeys(preKeys(1, 2));
    expect(await store.getKeys('pre-key', ['1', '2'])).toEqual(
      new Map([
        ['1', { public: 'k1' }],
        ['2', { public: 'k2' }],
      ]),
    );
    await fixtures.prisma.authKey.deleteMany({ where: { sessionId: id, keyId: '1' } });
    expect(await store.getKeys('pre-key', ['1', '2'])).toEqual(new Map([['2', { public: 'k2' }]]));
  });

  it('forgets keys whose write was refused', async () => {
    const { id } = await fixtures.session(userId);
    const store = storeOf(id);
    await fixtures.prisma.session.update({ where: { id }, data: { leaseEpoch: 1n } });
    await expect(store.writeKeys(sessionKeys(7, 1))).rejects.toBeInstanceOf(StaleLeaseError);
    expect(await store.getKeys('session', ['c7.0'])).toEqual(new Map());
  });

  it('commits the writes of many sessions together, refusing only those of a stale epoch', async () => {
    const [a, b] = [await fixtures.session(userId), await fixtures.session(userId)];
    await fixtures.prisma.session.update({ where: { id: b.id }, data: { leaseEpoch: 5n } });
    // Issued in one event-loop turn, so they share one statement.
    const results = await Promise.allSettled([
      storeOf(a.id).writeKeys(sessionKeys(1, 2)),
      storeOf(b.id).writeKeys(sessionKeys(1, 2)),
      storeOf(a.id).writeKeys(sessionKeys(3, 1)),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(StaleLeaseError);
    expect(await keysOf(a.id)).toBe(3);
    expect(await keysOf(b.id)).toBe(0);
  });

  describe('reads always see its own writes (a stale session record would reuse a message key)', () => {
    /** A writer whose writes land only when the test says so. */
    const heldWriter = () => {
      const held: Array<() => void> = [];
      const gated = {
        write: (entry: Parameters<AuthKeyWriter['write']>[0]) => new Promise<void>((resolve) => held.push(() => void writer.write(entry).then(resolve))),
      };
      return { gated: gated as unknown as AuthKeyWriter, land: () => held.splice(0).forEach((release) => release()) };
    };

    it('answers a key whose write is in flight from the write, even after the cache let it go', async () => {
      const { id } = await fixtures.session(userId);
      await storeOf(id).writeKeys(sessionKeys(1, 1));
      const { gated, land } = heldWriter();
      const store = new SessionAuthStore(repository, gated, JSON_CODEC, id, 0);
      const writing = store.writeKeys([{ type: 'session', id: 'c1.0', value: { record: 'newer' } }]);
      // Push it out of the cache with other keys' reads.
      await store.getKeys(
        'session',
        Array.from({ length: 300 }, (_, index) => `other${index}.0`),
      );
      expect(await store.getKeys('session', ['c1.0'])).toEqual(new Map([['c1.0', { record: 'newer' }]]));
      land();
      await writing;
      expect(await storeOf(id).getKeys('session', ['c1.0'])).toEqual(new Map([['c1.0', { record: 'newer' }]]));
    });

    it('does not answer from a database read that overlapped a write of the key', async () => {
      const { id } = await fixtures.session(userId);
      await storeOf(id).writeKeys(sessionKeys(1, 1));
      const store = storeOf(id);
      const reading = store.getKeys('session', ['c1.0']);
      const written = store.writeKeys([{ type: 'session', id: 'c1.0', value: { record: 'written while reading' } }]);
      expect(await reading).toEqual(new Map([['c1.0', { record: 'written while reading' }]]));
      await written;
    });
  });
});
