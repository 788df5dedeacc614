import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { AppConfigModule, CoreConfig, loadConfig } from '@app/config';
import { redisKeys } from '@app/contracts';
import { baseTestEnv, isolatedPrefix } from '../../../test/support/test-env';
import { RedisClient } from './redis-client';
import { RedisModule } from './redis.module';
import { SessionLeaseRepository, type SessionLease } from './session-lease.repository';

/** Taking, renewing and letting go of session leases, on the real Redis. */
describe('SessionLeaseRepository', () => {
  const prefix = isolatedPrefix('leases');
  let app: INestApplicationContext;
  let leases: SessionLeaseRepository;
  let redis: RedisClient;

  beforeAll(async () => {
    const config = loadConfig(CoreConfig, baseTestEnv({ REDIS_PREFIX: prefix }));
    const moduleRef = await Test.createTestingModule({ imports: [AppConfigModule.forRoot(CoreConfig, config), RedisModule.forRoot()] }).compile();
    app = await moduleRef.init();
    leases = app.get(SessionLeaseRepository);
    redis = app.get(RedisClient);
  });

  afterAll(async () => {
    await app.close();
  });

  const ttlOf = (sessionId: string): Promise<number> => redis.pttl(redisKeys.sessionLease(prefix, sessionId));

  it('renews more leases than one script call takes and names exactly those that are no longer ours', async () => {
    const held: SessionLease[] = [];
    for (let index = 0; index < 1_203; index += 1) {
      const lease = await leases.acquire(`renew-${index}`, 'w-1', 1_000);
      if (!lease) throw new Error(`lease renew-${index} was not free`);
      held.push(lease);
    }
    // One taken over by another worker, one expired, one in the last chunk released by hand.
    await redis.set(redisKeys.sessionLease(prefix, 'renew-7'), 'w-2:other', 'PX', 10_000);
    await redis.del(redisKeys.sessionLease(prefix, 'renew-600'));
    await leases.release(held[1_202]);

    const lost = await leases.renewAll(held, 60_000);

    expect(lost.sort()).toEqual(['renew-1202', 'renew-600', 'renew-7']);
    expect(await ttlOf('renew-0')).toBeGreaterThan(50_000);
    expect(await ttlOf('renew-1201')).toBeGreaterThan(50_000);
    expect(await leases.ownerOf('renew-7')).toBe('w-2');
    expect(await ttlOf('renew-7')).toBeLessThanOrEqual(10_000);
    expect(await leases.ownerOf('renew-600')).toBeNull();
  });

  it('renews nothing and loses nothing when no lease is held', async () => {
    expect(await leases.renewAll([], 1_000)).toEqual([]);
  });

  it('gives a lease to one worker at a time and lets only its holder release it', async () => {
    const first = await leases.acquire('single', 'w-1', 5_000);
    expect(first).not.toBeNull();
    expect(await leases.acquire('single', 'w-2', 5_000)).toBeNull();
    expect(await leases.release({ sessionId: 'single', workerId: 'w-2', token: 'w-2:forged' })).toBe(false);
    expect(await leases.ownerOf('single')).toBe('w-1');
    expect(await leases.release(first!)).toBe(true);
    expect(await leases.ownerOf('single')).toBeNull();
  });
});
