import type { WorkerInfo } from '@app/contracts';
import {
  fairShares,
  liveWithSelf,
  loadsOf,
  pickSessionsToMove,
  planMoves,
  roomToClaim,
  someoneLessLoaded,
  type MoveCandidate,
  type WorkerLoad,
} from './fair-share';

const worker = (id: string, load: number, capacity = 500, state: WorkerLoad['state'] = 'active'): WorkerLoad => ({ id, load, capacity, state });

/**
 * Runs every worker's planner in turn, applying each plan as if its moves completed at once,
 * until nobody plans a move (or `rounds` run out); returns the final loads and every move made.
 */
function settle(workers: WorkerLoad[], wanted: number, tolerance = 1, rounds = 1_000) {
  const loads = new Map(workers.map((entry) => [entry.id, entry.load]));
  const moves: Array<{ from: string; to: string }> = [];
  for (let round = 0; round < rounds; round += 1) {
    let moved = false;
    for (const giver of workers) {
      const current = workers.map((entry) => ({ ...entry, load: loads.get(entry.id)! }));
      for (const to of planMoves({ selfId: giver.id, workers: current, wanted, tolerance, limit: 3 })) {
        loads.set(giver.id, loads.get(giver.id)! - 1);
        loads.set(to, loads.get(to)! + 1);
        moves.push({ from: giver.id, to });
        moved = true;
      }
    }
    if (!moved) break;
  }
  return { loads: Object.fromEntries(loads), moves };
}

describe('fair shares', () => {
  it('splits sessions evenly over the active workers, fractions included', () => {
    expect(Object.fromEntries(fairShares(60, [worker('a', 0), worker('b', 0), worker('c', 0)]))).toEqual({ a: 20, b: 20, c: 20 });
    const shares = fairShares(61, [worker('a', 0), worker('b', 0), worker('c', 0)]);
    expect(shares.get('a')).toBeCloseTo(20.333, 3);
  });

  it('gives draining and leaving workers no share', () => {
    const shares = fairShares(60, [worker('a', 0), worker('b', 0, 500, 'draining'), worker('c', 0, 500, 'leaving')]);
    expect(Object.fromEntries(shares)).toEqual({ a: 60, b: 0, c: 0 });
  });

  it('fills a small worker to its capacity and shares the rest among the others', () => {
    const shares = fairShares(100, [worker('small', 0, 10), worker('b', 0), worker('c', 0)]);
    expect(Object.fromEntries(shares)).toEqual({ small: 10, b: 45, c: 45 });
  });

  it('never shares out more than the active workers can hold', () => {
    const shares = fairShares(1_000, [worker('a', 0, 100), worker('b', 0, 200)]);
    expect(Object.fromEntries(shares)).toEqual({ a: 100, b: 200 });
  });
});

describe('loads from the registry', () => {
  const info = (id: string, sessionsHeld: number, movesInFlight = 0): WorkerInfo => ({
    id,
    host: 'h',
    pid: 1,
    sessionsHeld,
    capacity: 500,
    state: 'active',
    movesInFlight,
    startedAt: '',
    heartbeatAt: '',
  });

  it('counts moves on their way: off the giver, onto the receiver', () => {
    const loads = loadsOf([info('giver', 30, 3), info('receiver', 5)], new Map([['receiver', 3]]));
    expect(loads.map((entry) => [entry.id, entry.load])).toEqual([
      ['giver', 27],
      ['receiver', 8],
    ]);
  });

  it('takes this worker as it is now, not as its last heartbeat said', () => {
    const workers = liveWithSelf([info('self', 10), info('other', 4)], info('self', 12));
    expect(workers.map((entry) => [entry.id, entry.sessionsHeld]).sort()).toEqual([
      ['other', 4],
      ['self', 12],
    ]);
  });
});

describe('claiming sessions nobody holds', () => {
  it('takes up to the fair share rounded up, within capacity', () => {
    const workers = [worker('a', 5), worker('b', 0)];
    expect(roomToClaim('a', workers, 21)).toBe(6);
    expect(roomToClaim('b', workers, 21)).toBe(11);
    expect(roomToClaim('a', [worker('a', 5, 8), worker('b', 0)], 40)).toBe(3);
  });

  it('takes nothing while draining or leaving', () => {
    expect(roomToClaim('a', [worker('a', 0, 500, 'draining'), worker('b', 0)], 10)).toBe(0);
    expect(roomToClaim('a', [worker('a', 0, 500, 'leaving')], 10)).toBe(0);
  });

  it('lets a less loaded active worker go first, ignoring draining ones', () => {
    expect(someoneLessLoaded('a', [worker('a', 10), worker('b', 5)])).toBe(true);
    expect(someoneLessLoaded('a', [worker('a', 10), worker('b', 0, 500, 'draining')])).toBe(false);
  });
});

describe('planning moves', () => {
  it('moves nothing while every worker is within the tolerance of its share', () => {
    const workers = [worker('a', 21), worker('b', 20), worker('c', 19)];
    for (const { id } of workers) expect(planMoves({ selfId: id, workers, wanted: 60, tolerance: 1, limit: 10 })).toEqual([]);
  });

  it('sends sessions from loaded workers to a new one until each holds its share ±1', () => {
    const { loads, moves } = settle([worker('a', 30), worker('b', 30), worker('c', 0)], 60);
    for (const load of Object.values(loads)) expect(Math.abs(load - 20)).toBeLessThanOrEqual(1);
    expect(moves.every((move) => move.to === 'c')).toBe(true);
    expect(moves).toHaveLength(loads.c);
  });

  it('gets 300 sessions from 2 workers to 3 at 100 ± 1 each, 100 moves at most', () => {
    const { loads, moves } = settle([worker('a', 150), worker('b', 150), worker('c', 0)], 300);
    expect(Object.values(loads).every((load) => Math.abs(load - 100) <= 1)).toBe(true);
    expect(moves.length).toBeLessThanOrEqual(100);
  });

  it('never sends a session back: no move goes against an earlier one', () => {
    const { moves } = settle([worker('a', 47), worker('b', 3), worker('c', 29), worker('d', 1)], 80);
    const pairs = new Set(moves.map((move) => `${move.from}>${move.to}`));
    for (const move of moves) expect(pairs.has(`${move.to}>${move.from}`)).toBe(false);
  });

  it('brings up a worker far below its share even when nobody is far above it', () => {
    const workers = [worker('a', 21), worker('b', 21), worker('c', 18)];
    expect(planMoves({ selfId: 'a', workers, wanted: 60, tolerance: 1, limit: 10 })).toEqual(['c']);
    // One move is enough: then every worker is within one session of 20.
    expect(settle(workers, 60)).toEqual({ loads: { a: 20, b: 21, c: 19 }, moves: [{ from: 'a', to: 'c' }] });
  });

  it('gives no more than its own surplus, so loaded workers planning at once from one view do not overshoot', () => {
    const workers = [worker('a', 30), worker('b', 30), worker('c', 0)];
    const fromA = planMoves({ selfId: 'a', workers, wanted: 60, tolerance: 1, limit: 100 });
    const fromB = planMoves({ selfId: 'b', workers, wanted: 60, tolerance: 1, limit: 100 });
    expect([fromA.length, fromB.length]).toEqual([10, 10]);
    expect(new Set([...fromA, ...fromB])).toEqual(new Set(['c']));
  });

  it('leaves feeding a worker far below its share to those above their own share', () => {
    const workers = [worker('a', 20), worker('b', 30), worker('c', 10)];
    expect(planMoves({ selfId: 'a', workers, wanted: 60, tolerance: 1, limit: 10 })).toEqual([]);
    // b stops at 21 and c at 19: both within one session of 20.
    expect(planMoves({ selfId: 'b', workers, wanted: 60, tolerance: 1, limit: 20 })).toEqual(Array(9).fill('c'));
  });

  it('widens the band with the tolerance', () => {
    const workers = [worker('a', 23), worker('b', 20), worker('c', 17)];
    expect(planMoves({ selfId: 'a', workers, wanted: 60, tolerance: 3, limit: 10 })).toEqual([]);
    expect(planMoves({ selfId: 'a', workers, wanted: 60, tolerance: 2, limit: 10 })).toEqual(['c']);
  });

  it('stops at the limit of moves per round', () => {
    expect(planMoves({ selfId: 'a', workers: [worker('a', 30), worker('b', 0)], wanted: 30, tolerance: 1, limit: 4 })).toHaveLength(4);
  });

  it('sends nothing to a worker at capacity, nor to draining or leaving ones', () => {
    const workers = [worker('a', 40), worker('b', 10, 10), worker('c', 0, 500, 'draining'), worker('d', 0, 500, 'leaving')];
    expect(planMoves({ selfId: 'a', workers, wanted: 50, tolerance: 1, limit: 10 })).toEqual([]);
  });

  it('drains a worker into the others by their room, most needy first', () => {
    const workers = [worker('a', 6, 500, 'draining'), worker('b', 10, 12), worker('c', 4)];
    expect(planMoves({ selfId: 'a', workers, wanted: 20, tolerance: 1, limit: 10 })).toEqual(['c', 'c', 'c', 'c', 'c', 'c']);
    const full = [worker('a', 6, 500, 'leaving'), worker('b', 10, 12), worker('c', 9, 10)];
    expect(planMoves({ selfId: 'a', workers: full, wanted: 25, tolerance: 1, limit: 10 })).toEqual(['b', 'c', 'b']);
  });
});

describe('choosing the sessions that move', () => {
  const now = 1_000_000;
  const candidate = (sessionId: string, connected: boolean, idle: boolean, arrivedAt: number | null = null): MoveCandidate => ({
    sessionId,
    connected,
    idle,
    arrivedAt,
  });
  const candidates = [
    candidate('busy', true, false),
    candidate('qr-wait', false, true),
    candidate('just-moved', true, true, now - 5_000),
    candidate('idle', true, true),
    candidate('moved-long-ago', true, true, now - 120_000),
  ];

  it('rebalances connected sessions, idle first, and leaves sessions moved within the cooldown alone', () => {
    expect(pickSessionsToMove(candidates, 10, { draining: false, cooldownMs: 60_000, now })).toEqual(['idle', 'moved-long-ago', 'busy']);
    expect(pickSessionsToMove(candidates, 1, { draining: false, cooldownMs: 60_000, now })).toEqual(['idle']);
  });

  it('drains every session, unconnected ones last, whatever the cooldown', () => {
    expect(pickSessionsToMove(candidates, 10, { draining: true, cooldownMs: 60_000, now })).toEqual([
      'just-moved',
      'idle',
      'moved-long-ago',
      'busy',
      'qr-wait',
    ]);
  });
});
