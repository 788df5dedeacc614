import type { SessionReservation } from '@app/contracts';
import type { SessionMovesRepository } from '@app/redis';
import { fakeWorker, MemoryMetric, MemoryMoves, MemorySessions, partial, silentLogger } from '../../../../test/support/worker-fakes';
import { MoveReceiver } from './move-receiver.service';

function setUp(capacity = 10) {
  const worker = fakeWorker({
    sessions: new MemorySessions().add('s1').add('s2').add('s3').add('s4').add('s5'),
    config: { WORKER_CAPACITY: capacity, RESTORE_CONCURRENCY: 2 },
  });
  const moves = new MemoryMoves();
  const duration = new MemoryMetric();
  const { supervisor, heartbeat, state, identity, config } = worker;
  const receiver = new MoveReceiver(
    supervisor,
    partial<SessionMovesRepository>(moves),
    heartbeat,
    state,
    identity,
    config,
    silentLogger,
    duration.asHistogram(),
  );
  const reserve = (sessionId: string, to = 'w1', since = Date.now()): SessionReservation => {
    const reservation: SessionReservation = { to, from: 'w-old', reason: 'rebalance', since };
    moves.reservations.set(sessionId, reservation);
    return reservation;
  };
  return { ...worker, moves, duration, receiver, reserve };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('MoveReceiver', () => {
  afterEach(() => jest.useRealTimers());

  it('adopts a session its old owner let go when the reservation names this worker, and settles the move', async () => {
    const setup = setUp();
    setup.reserve('s1');
    setup.reserve('s2', 'w2');
    await setup.receiver.adopt('s1');
    await setup.receiver.adopt('s2');
    await setup.receiver.adopt('s3');
    expect(setup.supervisor.heldSessionIds()).toEqual(['s1']);
    expect(setup.moves.reservations.has('s1')).toBe(false);
    expect(setup.moves.reservations.get('s2')?.to).toBe('w2');
  });

  it('counts the session as held in the registry before the move stops counting as incoming', async () => {
    const setup = setUp();
    const reservation = setup.reserve('s1');
    const heldAtSettle: number[] = [];
    const settle = setup.moves.settle.bind(setup.moves);
    setup.moves.settle = async (sessionId, workerId) => {
      heldAtSettle.push(setup.registry.beats.at(-1)?.sessionsHeld ?? -1);
      return settle(sessionId, workerId);
    };
    let proceed!: () => void;
    setup.factory.next = { startGate: new Promise((resolve) => (proceed = resolve)) };
    const claim = setup.receiver.claimReserved('s1', reservation);
    await tick();
    // Settled while the session is still connecting.
    expect(setup.factory.last().starts).toBe(1);
    expect(heldAtSettle).toEqual([1]);
    proceed();
    expect(await claim).toBe(true);
  });

  it('claims a session once when the nudge and a reconciliation both ask', async () => {
    const setup = setUp();
    const reservation = setup.reserve('s1');
    const [first, second] = await Promise.all([setup.receiver.claimReserved('s1', reservation), setup.receiver.claimReserved('s1', reservation)]);
    expect([first, second].sort()).toEqual([false, true]);
    expect(setup.factory.made).toHaveLength(1);
  });

  it('takes nothing while draining or at capacity, and settles the reservation anyway', async () => {
    const setup = setUp(1);
    await setup.supervisor.claim('s3');
    expect(await setup.receiver.claimReserved('s1', setup.reserve('s1'))).toBe(false);
    setup.state.cordon();
    await setup.supervisor.release('s3');
    expect(await setup.receiver.claimReserved('s2', setup.reserve('s2'))).toBe(false);
    expect(setup.supervisor.heldSessionIds()).toEqual([]);
    expect(setup.moves.settled).toEqual(['s1→w1', 's2→w1']);
    expect(setup.moves.reservations.size).toBe(0);
  });

  it('connects at most RESTORE_CONCURRENCY arriving sessions at once; a failed one settles and frees its slot', async () => {
    const setup = setUp();
    const gates: Array<() => void> = [];
    const gated = () => ({ startGate: new Promise<void>((resolve) => gates.push(resolve)) });
    setup.factory.next = { ...gated(), startFailure: new Error('start failed') };
    const first = setup.receiver.claimReserved('s1', setup.reserve('s1')).catch((error: Error) => error.message);
    await tick();
    setup.factory.next = gated();
    const second = setup.receiver.claimReserved('s2', setup.reserve('s2'));
    await tick();
    const third = setup.receiver.claimReserved('s3', setup.reserve('s3'));
    await tick();
    expect(setup.factory.made.map((runtime) => runtime.sessionId)).toEqual(['s1', 's2']);

    gates[0]();
    expect(await first).toBe('start failed');
    await tick();
    expect(setup.factory.made.map((runtime) => runtime.sessionId)).toEqual(['s1', 's2', 's3']);
    gates[1]();
    expect([await second, await third]).toEqual([true, true]);
    expect(setup.moves.reservations.size).toBe(0);
    // Every slot is free again.
    setup.factory.next = gated();
    void setup.receiver.claimReserved('s4', setup.reserve('s4'));
    await tick();
    setup.factory.next = gated();
    void setup.receiver.claimReserved('s5', setup.reserve('s5'));
    await tick();
    expect(setup.factory.made.map((runtime) => runtime.sessionId)).toEqual(['s1', 's2', 's3', 's4', 's5']);
    gates[2]();
    gates[3]();
  });

  it('records how long the session took no sends, from the old owner stopping them to connected here', async () => {
    jest.useFakeTimers({ now: 100_000 });
    const setup = setUp();
    await setup.receiver.claimReserved('s1', setup.reserve('s1', 'w1', 97_000));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(setup.duration.observed).toEqual([]);
    setup.factory.of('s1')!.connected = true;
    await jest.advanceTimersByTimeAsync(50);
    expect(setup.duration.observed).toEqual([4.05]);
  });

  it('leaves a moved session that never connects, or was let go, out of the move duration', async () => {
    jest.useFakeTimers();
    const setup = setUp();
    await setup.receiver.claimReserved('s1', setup.reserve('s1'));
    await setup.receiver.claimReserved('s2', setup.reserve('s2'));
    await setup.supervisor.release('s2');
    await jest.advanceTimersByTimeAsync(61_000);
    setup.factory.of('s1')!.connected = true;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(setup.duration.observed).toEqual([]);
  });
});
