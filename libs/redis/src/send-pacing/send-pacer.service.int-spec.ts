import { Test, type TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { AppConfigModule, loadConfig, SessionWorkerConfig } from '@app/config';
import { redisKeys } from '@app/contracts';
import { DbModule } from '@app/db';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { baseTestEnv, isolatedPrefix } from '../../../../test/support/test-env';
import { RedisClient } from '../redis-client';
import { RedisModule } from '../redis.module';
import { PACING_SETTINGS_REFRESH_MS, SendPacer, type PacingDecision } from './send-pacer.service';
import { SendPacingModule } from './send-pacing.module';

const OFF = {
  SEND_RATE_PER_MINUTE: '0',
  SEND_DELAY_MIN_MS: '0',
  SEND_DELAY_MAX_MS: '0',
  SEND_MAX_PER_MINUTE: '0',
  SEND_MAX_PER_HOUR: '0',
  SEND_MAX_PER_RECIPIENT_PER_HOUR: '0',
  SEND_MAX_WAIT_MS: '0',
  BULK_SEND_RATE_PER_MINUTE: '0',
  BULK_SEND_DELAY_MIN_MS: '0',
  BULK_SEND_DELAY_MAX_MS: '0',
  BULK_SEND_MAX_PER_MINUTE: '0',
  BULK_SEND_MAX_PER_HOUR: '0',
  BULK_SEND_MAX_PER_RECIPIENT_PER_HOUR: '0',
};
const ALICE = '6281111111111@s.whatsapp.net';
const BOB = '6282222222222@s.whatsapp.net';
const CAROL = '6283333333333@s.whatsapp.net';

describe('SendPacer', () => {
  const prefix = isolatedPrefix('pacing');
  const modules: TestingModule[] = [];
  const fixtures = new DbFixtures();

  /** One "process": its own config and its own Redis connection, sharing Redis with the others. */
  const pacerWith = async (settings: Record<string, string>): Promise<SendPacer> => {
    const config = loadConfig(SessionWorkerConfig, baseTestEnv({ REDIS_PREFIX: prefix, ...OFF, ...settings }));
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(SessionWorkerConfig, config), DbModule.forRoot(), RedisModule.forRoot(), SendPacingModule],
    }).compile();
    modules.push(moduleRef);
    return moduleRef.get(SendPacer);
  };
  const session = () => `s-${randomUUID().slice(0, 8)}`;
  const reserveMany = async (pacer: SendPacer, sessionId: string, count: number, to = ALICE): Promise<PacingDecision[]> => {
    const decisions: PacingDecision[] = [];
    for (let i = 0; i < count; i += 1) decisions.push(await pacer.reserve(sessionId, to));
    return decisions;
  };
  const waits = (decisions: PacingDecision[]) => decisions.map((decision) => (decision.allowed ? decision.waitMs : -1));
  /**
   * Runs `reserving` and returns how long it took. The bucket refills while the test runs, so a
   * token-bucket wait is only exact up to that time: on a loaded machine 100 reservations can take
   * a third of a second.
   */
  const timed = async <T>(reserving: () => Promise<T>): Promise<[T, number]> => {
    const startedAt = performance.now();
    const result = await reserving();
    return [result, Math.ceil(performance.now() - startedAt)];
  };

  afterAll(async () => {
    for (const moduleRef of modules) await moduleRef.close();
    await fixtures.close();
  });

  it('lets the burst through at once, then spaces sends at the refill rate', async () => {
    const pacer = await pacerWith({ SEND_RATE_PER_MINUTE: '60', SEND_BURST: '3' });
    const [decisions, elapsed] = await timed(() => reserveMany(pacer, session(), 6));
    const [first, second, third, fourth, fifth, sixth] = waits(decisions);
    expect([first, second, third]).toEqual([0, 0, 0]);
    // One token per second: the 4th is due 1 s after the first, each later one a second more.
    expect(fourth).toBeGreaterThanOrEqual(1_000 - elapsed);
    expect(fourth).toBeLessThanOrEqual(1_000);
    expect(fifth - fourth).toBeGreaterThanOrEqual(1_000 - elapsed);
    expect(fifth - fourth).toBeLessThanOrEqual(1_000);
    expect(sixth - fifth).toBeGreaterThanOrEqual(1_000 - elapsed);
    expect(decisions[3]).toMatchObject({ allowed: true, limitedBy: 'rate' });
  });

  it('holds seed 003 defaults: 100 back to back, the 101st waits for a token', async () => {
    const pacer = await pacerWith({ SEND_RATE_PER_MINUTE: '100', SEND_BURST: '100', SEND_MAX_WAIT_MS: '60000' });
    const sessionId = session();
    // The burst goes out concurrently (pipelined on one connection) so it takes milliseconds, not
    // the 600 ms after which the bucket would hold a fresh token.
    const [decisions, elapsed] = await timed(async () => [
      ...(await Promise.all(Array.from({ length: 100 }, () => pacer.reserve(sessionId, ALICE)))),
      await pacer.reserve(sessionId, ALICE),
    ]);
    expect(
      waits(decisions)
        .slice(0, 100)
        .every((wait) => wait === 0),
    ).toBe(true);
    expect(decisions[100]).toMatchObject({ allowed: true, limitedBy: 'rate' });
    // 100 per minute: the 101st is due 600 ms after the burst began.
    expect(waits(decisions)[100]).toBeGreaterThanOrEqual(600 - elapsed);
    expect(waits(decisions)[100]).toBeLessThanOrEqual(600);
  });

  it('pauses a random time between min and max after the previous send', async () => {
    const pacer = await pacerWith({ SEND_DELAY_MIN_MS: '3000', SEND_DELAY_MAX_MS: '7000' });
    const decisions = await reserveMany(pacer, session(), 4);
    const [first, ...rest] = waits(decisions);
    expect(first).toBe(0);
    let previous = 0;
    for (const wait of rest) {
      expect(wait - previous).toBeGreaterThanOrEqual(2_950);
      expect(wait - previous).toBeLessThanOrEqual(7_000);
      previous = wait;
    }
    expect(decisions[1]).toMatchObject({ limitedBy: 'delay' });
  });

  it('delays past a per-minute cap when the wait is acceptable, refuses it otherwise', async () => {
    const patient = await pacerWith({ SEND_MAX_PER_MINUTE: '2', SEND_MAX_WAIT_MS: '60000' });
    const sessionId = session();
    const decisions = await reserveMany(patient, sessionId, 3);
    expect(waits(decisions).slice(0, 2)).toEqual([0, 0]);
    expect(decisions[2]).toMatchObject({ allowed: true, limitedBy: 'per_minute' });
    expect(waits(decisions)[2]).toBeGreaterThan(59_000);

    const hasty = await pacerWith({ SEND_MAX_PER_MINUTE: '2', SEND_MAX_WAIT_MS: '1000' });
    const other = session();
    await reserveMany(hasty, other, 2);
    const refused = await hasty.reserve(other, ALICE);
    expect(refused).toMatchObject({ allowed: false, limitedBy: 'per_minute' });
    if (refused.allowed) throw new Error('expected a refusal');
    expect(refused.retryAfterMs).toBeGreaterThan(59_000);
    expect(refused.retryAt.getTime()).toBeGreaterThan(Date.now() + 58_000);
    // A refusal reserves nothing: the next attempt sees the same slot.
    const again = await hasty.reserve(other, ALICE);
    expect(again.allowed ? Number.NaN : again.retryAfterMs).toBeLessThanOrEqual(refused.retryAfterMs);
  });

  it('refuses past the per-hour cap with the time it frees up', async () => {
    const pacer = await pacerWith({ SEND_MAX_PER_HOUR: '3', SEND_MAX_WAIT_MS: '60000' });
    const sessionId = session();
    expect(waits(await reserveMany(pacer, sessionId, 3, BOB))).toEqual([0, 0, 0]);
    const refused = await pacer.reserve(sessionId, CAROL);
    expect(refused).toMatchObject({ allowed: false, limitedBy: 'per_hour' });
    expect(refused.allowed ? 0 : refused.retryAfterMs).toBeGreaterThan(3_590_000);
  });

  it('caps each recipient on its own', async () => {
    const pacer = await pacerWith({ SEND_MAX_PER_RECIPIENT_PER_HOUR: '2', SEND_MAX_WAIT_MS: '60000' });
    const sessionId = session();
    expect(waits(await reserveMany(pacer, sessionId, 2, ALICE))).toEqual([0, 0]);
    expect(await pacer.reserve(sessionId, ALICE)).toMatchObject({ allowed: false, limitedBy: 'per_recipient' });
    expect(waits(await reserveMany(pacer, sessionId, 2, BOB))).toEqual([0, 0]);
    expect(await pacer.reserve(sessionId, BOB)).toMatchObject({ allowed: false, limitedBy: 'per_recipient' });
    expect(await pacer.reserve(sessionId, CAROL)).toEqual({ allowed: true, waitMs: 0 });
    // Another session's budget is its own.
    expect(await pacer.reserve(session(), ALICE)).toEqual({ allowed: true, waitMs: 0 });
  });

  it('shares one budget between processes, so a new owner after failover keeps it', async () => {
    const settings = { SEND_RATE_PER_MINUTE: '60', SEND_BURST: '2', SEND_MAX_PER_RECIPIENT_PER_HOUR: '3', SEND_MAX_WAIT_MS: '60000' };
    const [oldOwner, newOwner] = [await pacerWith(settings), await pacerWith(settings)];
    const sessionId = session();
    const [[first, second, third], elapsed] = await timed(async () => [
      await oldOwner.reserve(sessionId, ALICE),
      await newOwner.reserve(sessionId, ALICE),
      await newOwner.reserve(sessionId, ALICE),
    ]);
    expect([first, second]).toEqual([
      { allowed: true, waitMs: 0 },
      { allowed: true, waitMs: 0 },
    ]);
    expect(third).toMatchObject({ allowed: true, limitedBy: 'rate' });
    expect(third.allowed && third.waitMs).toBeGreaterThanOrEqual(1_000 - elapsed);
    expect(await oldOwner.reserve(sessionId, ALICE)).toMatchObject({ allowed: false, limitedBy: 'per_recipient' });
  });

  it('keeps its keys under the prefix with expiry times', async () => {
    const pacer = await pacerWith({ SEND_RATE_PER_MINUTE: '60', SEND_MAX_PER_MINUTE: '5', SEND_MAX_PER_RECIPIENT_PER_HOUR: '5' });
    const sessionId = session();
    await pacer.reserve(sessionId, ALICE);
    const redis = modules.at(-1)!.get(RedisClient);
    const keys = [redisKeys.sendPacing(prefix, sessionId), redisKeys.sendPacingLog(prefix, sessionId), redisKeys.sendPacingRecipient(prefix, sessionId, ALICE)];
    for (const key of keys) {
      expect(key.startsWith(`${prefix}:`)).toBe(true);
      expect(await redis.pttl(key)).toBeGreaterThan(0);
    }
  });

  it('does nothing, not even a Redis write, when every limit is off', async () => {
    const pacer = await pacerWith({});
    const sessionId = session();
    expect(waits(await reserveMany(pacer, sessionId, 200))).toEqual(new Array(200).fill(0));
    expect(await modules.at(-1)!.get(RedisClient).exists(redisKeys.sendPacing(prefix, sessionId))).toBe(0);
  });

  it('ignores the caps that are off while others apply', async () => {
    const pacer = await pacerWith({ SEND_RATE_PER_MINUTE: '6000', SEND_BURST: '500' });
    const sessionId = session();
    expect(waits(await reserveMany(pacer, sessionId, 60, ALICE)).every((wait) => wait === 0)).toBe(true);
    const redis = modules.at(-1)!.get(RedisClient);
    expect(await redis.exists(redisKeys.sendPacingLog(prefix, sessionId), redisKeys.sendPacingRecipient(prefix, sessionId, ALICE))).toBe(0);
  });

  describe('by origin and per session', () => {
    /** A stored session with these pacing overrides (`sessions.pacing`). */
    const sessionWith = async (pacing: object | null) => {
      const session = await fixtures.session((await fixtures.user()).id);
      if (pacing) await fixtures.prisma.session.update({ where: { id: session.id }, data: { pacing } });
      return session.id;
    };

    it("paces bulk sends by seed 001's profile by default while single sends keep the token bucket", async () => {
      const pacer = await pacerWith({
        SEND_RATE_PER_MINUTE: '100',
        SEND_BURST: '100',
        BULK_SEND_DELAY_MIN_MS: '3000',
        BULK_SEND_DELAY_MAX_MS: '7000',
        BULK_SEND_MAX_PER_MINUTE: '20',
        SEND_MAX_WAIT_MS: '60000',
      });
      const sessionId = session();
      const [singles, elapsed] = await timed(() => reserveMany(pacer, sessionId, 3));
      expect(waits(singles)).toEqual([0, 0, 0]);
      // The bulk profile's random pause counts from the session's previous send, whatever its origin.
      const bulk = await pacer.reserve(sessionId, BOB, 'bulk');
      expect(bulk).toMatchObject({ allowed: true, limitedBy: 'delay' });
      expect(bulk.allowed && bulk.waitMs).toBeGreaterThanOrEqual(3_000 - elapsed);
      expect(bulk.allowed && bulk.waitMs).toBeLessThanOrEqual(7_000);
      expect(await pacer.paced(sessionId, 'single')).toBe(true);
      expect(await pacer.paced(sessionId, 'bulk')).toBe(true);
    });

    it('tells the wait a bulk item would get without reserving it', async () => {
      const pacer = await pacerWith({ BULK_SEND_MAX_PER_RECIPIENT_PER_HOUR: '1', SEND_MAX_WAIT_MS: '60000' });
      const sessionId = session();
      expect(await pacer.peek(sessionId, ALICE, 'bulk')).toBe(0);
      expect(await pacer.peek(sessionId, ALICE, 'bulk')).toBe(0);
      expect(await pacer.reserve(sessionId, ALICE, 'bulk')).toEqual({ allowed: true, waitMs: 0 });
      expect(await pacer.peek(sessionId, ALICE, 'bulk')).toBeGreaterThan(3_590_000);
      expect(await pacer.peek(sessionId, BOB, 'bulk')).toBe(0);
    });

    it("applies a session's own settings over the configured ones, field by field and origin by origin", async () => {
      const pacer = await pacerWith({ SEND_RATE_PER_MINUTE: '100', SEND_BURST: '100', BULK_SEND_MAX_PER_RECIPIENT_PER_HOUR: '10', SEND_MAX_WAIT_MS: '60000' });
      const sessionId = await sessionWith({ single: { maxPerRecipientPerHour: 1, maxAttempts: 5 }, bulk: { maxPerRecipientPerHour: 0, ratePerMinute: 0 } });
      expect(await pacer.reserve(sessionId, ALICE)).toEqual({ allowed: true, waitMs: 0 });
      expect(await pacer.reserve(sessionId, ALICE)).toMatchObject({ allowed: false, limitedBy: 'per_recipient' });
      expect(await pacer.paced(sessionId, 'bulk')).toBe(false);
      expect(await pacer.reserve(sessionId, ALICE, 'bulk')).toEqual({ allowed: true, waitMs: 0 });
      expect(await pacer.maxAttempts(sessionId, 'single')).toBe(5);
      expect(await pacer.maxAttempts(sessionId, 'bulk')).toBe(3);
      expect((await pacer.profiles(sessionId)).single).toMatchObject({ ratePerMinute: 100, burst: 100, maxPerRecipientPerHour: 1 });
    });

    it('needs no permit at all for a session whose settings switch every limit off', async () => {
      const pacer = await pacerWith({ SEND_RATE_PER_MINUTE: '100', BULK_SEND_DELAY_MAX_MS: '7000' });
      const sessionId = await sessionWith({
        single: { ratePerMinute: 0 },
        bulk: { delayMinMs: 0, delayMaxMs: 0, maxPerMinute: 0, maxPerHour: 0, maxPerRecipientPerHour: 0 },
      });
      expect(await pacer.paced(sessionId)).toBe(false);
      expect(await pacer.paced(session())).toBe(true);
    });

    it('reads changed settings again after PACING_SETTINGS_REFRESH_MS', async () => {
      const pacer = await pacerWith({});
      const sessionId = await sessionWith(null);
      expect(await pacer.paced(sessionId)).toBe(false);
      await fixtures.prisma.session.update({ where: { id: sessionId }, data: { pacing: { single: { maxPerMinute: 1 } } } });
      expect(await pacer.paced(sessionId)).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, PACING_SETTINGS_REFRESH_MS + 50));
      expect(await pacer.paced(sessionId)).toBe(true);
    });
  });
});
