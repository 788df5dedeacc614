import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { AppConfigModule, CoreConfig, loadConfig } from '@app/config';
import { baseTestEnv, isolatedPrefix } from '../../../test/support/test-env';
import { RedisModule } from './redis.module';
import { SessionMovesRepository } from './session-moves.repository';

/** Reservations, incoming counts and the cluster's pace of moves, on the real Redis. */
describe('SessionMovesRepository', () => {
  let app: INestApplicationContext;
  let moves: SessionMovesRepository;

  beforeAll(async () => {
    const config = loadConfig(CoreConfig, baseTestEnv({ REDIS_PREFIX: isolatedPrefix('moves') }));
    const moduleRef = await Test.createTestingModule({ imports: [AppConfigModule.forRoot(CoreConfig, config), RedisModule.forRoot()] }).compile();
    app = await moduleRef.init();
    moves = app.get(SessionMovesRepository);
  });

  afterAll(async () => {
    await app.close();
  });

  it('keeps a reservation and counts it as incoming for its receiver until it is settled', async () => {
    const reservation = { to: 'w-to', from: 'w-from', reason: 'rebalance' as const, since: Date.now() };
    await moves.reserve('s-1', reservation, 10_000);
    await moves.reserve('s-2', reservation, 10_000);
    expect(await moves.reservationOf('s-1')).toEqual(reservation);
    expect(Object.fromEntries(await moves.incomingCounts(['w-to', 'w-from']))).toEqual({ 'w-to': 2, 'w-from': 0 });
    await moves.settle('s-1', 'w-to');
    expect(await moves.reservationOf('s-1')).toBeNull();
    expect((await moves.incomingCounts(['w-to'])).get('w-to')).toBe(1);
    expect(Object.fromEntries(await moves.reservationsOf(['s-1', 's-2']))).toEqual({ 's-1': null, 's-2': reservation });
  });

  it('leaves a newer reservation for another receiver in place when an older move settles', async () => {
    await moves.reserve('s-3', { to: 'w-old', from: 'w-from', reason: 'drain', since: Date.now() }, 10_000);
    await moves.reserve('s-3', { to: 'w-new', from: 'w-from', reason: 'drain', since: Date.now() }, 10_000);
    await moves.settle('s-3', 'w-old');
    expect((await moves.reservationOf('s-3'))?.to).toBe('w-new');
    expect((await moves.incomingCounts(['w-old'])).get('w-old')).toBe(0);
  });

  it('forgets reservations and incoming moves once they expire', async () => {
    await moves.reserve('s-4', { to: 'w-brief', from: 'w-from', reason: 'rebalance', since: Date.now() }, 150);
    expect((await moves.incomingCounts(['w-brief'])).get('w-brief')).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await moves.reservationOf('s-4')).toBeNull();
    expect((await moves.incomingCounts(['w-brief'])).get('w-brief')).toBe(0);
  });

  it('paces moves for the whole cluster: a burst of one second, then the rate', async () => {
    const perSecond = 4;
    const started = Date.now();
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await moves.takeMoveToken(perSecond));
    const elapsed = Date.now() - started;
    // Four tokens at once (the burst), then one is refused with the time until the next refill.
    expect(answers.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(answers[4]).toBeGreaterThan(250 - elapsed - 10);
    expect(answers[4]).toBeLessThanOrEqual(250);
    // A quarter of a second refills one token, whatever the refusal said.
    await new Promise((resolve) => setTimeout(resolve, 270));
    expect(await moves.takeMoveToken(perSecond)).toBe(0);
  });
});
