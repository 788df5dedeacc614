import { UNPLACED_ERROR, type SessionReservation } from '@app/contracts';
import type { SessionRepository, StatusChange } from '@app/db';
import type { SessionLeaseRepository, SessionMovesRepository, WorkerRegistryRepository } from '@app/redis';
import {
  fakeWorker,
  MemoryMetric,
  MemoryMoves,
  MemoryRegistry,
  MemorySessions,
  partial,
  silentLogger,
  workerInfo,
} from '../../../../test/support/worker-fakes';
import type { RecordOutcome, SessionStatusRecorder } from '../sessions/session-status.recorder';
import { MoveReceiver } from './move-receiver.service';
import { SessionClaimer } from './session-claimer.service';
import { UnplacedSessions } from './unplaced-sessions.service';

/** Status marks of unplaced sessions, fenced by epoch like the real recorder. */
class MemoryRecorder {
  readonly marked: string[] = [];

  constructor(private readonly sessions: MemorySessions) {}

  async record(sessionId: string, epoch: number | undefined, change: StatusChange): Promise<RecordOutcome> {
    const row = this.sessions.rows.get(sessionId);
    if (!row || (epoch !== undefined && row.epoch !== epoch)) return 'stale';
    this.marked.push(sessionId);
    Object.assign(row, { status: change.status, lastError: change.lastError ?? row.lastError });
    return 'recorded';
  }
}

function setUp(options: { sessions: number; capacity?: number; live?: ReturnType<typeof workerInfo>[] }) {
  const sessions = new MemorySessions();
  for (let index = 1; index <= options.sessions; index += 1) sessions.add(`s${index}`);
  const worker = fakeWorker({
    sessions,
    registry: new MemoryRegistry(options.live),
    config: { WORKER_CAPACITY: options.capacity ?? 10, RESTORE_CONCURRENCY: 2 },
  });
  const moves = new MemoryMoves();
  const recorder = new MemoryRecorder(sessions);
  const unplacedGauge = new MemoryMetric();
  const { supervisor, heartbeat, state, identity, config, leases, registry } = worker;
  const receiver = new MoveReceiver(
    supervisor,
    partial<SessionMovesRepository>(moves),
    heartbeat,
    state,
    identity,
    config,
    silentLogger,
    new MemoryMetric().asHistogram(),
  );
  const unplaced = new UnplacedSessions(partial<SessionRepository>(sessions), partial<SessionStatusRecorder>(recorder), silentLogger, unplacedGauge.asGauge());
  const claimer = new SessionClaimer(
    partial<SessionRepository>(sessions),
    partial<SessionLeaseRepository>(leases),
    partial<SessionMovesRepository>(moves),
    partial<WorkerRegistryRepository>(registry),
    supervisor,
    receiver,
    unplaced,
    heartbeat,
    state,
    identity,
    config,
    silentLogger,
  );
  return { ...worker, moves, recorder, unplacedGauge, claimer };
}

const reservation = (to: string): SessionReservation => ({ to, from: 'w-old', reason: 'rebalance', since: 0 });

/** Lets a reconciliation run to its end (including the head start it gives a less loaded worker). */
const reconciled = () => jest.advanceTimersByTimeAsync(400);

describe('SessionClaimer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('claims free sessions up to its fair share, never one another worker holds', async () => {
    // Six sessions, two active workers: three each. w2 holds s6; this worker holds s1 already.
    const setup = setUp({ sessions: 6, live: [workerInfo('w2', { sessionsHeld: 1 })] });
    setup.leases.takenBy('s6', 'w2');
    await setup.supervisor.claim('s1');
    setup.claimer.start();
    await reconciled();
    await setup.claimer.stop();

    expect(setup.supervisor.count).toBe(3);
    expect(setup.supervisor.holds('s6')).toBe(false);
    expect(setup.leases.held.get('s6')?.workerId).toBe('w2');
    expect(setup.factory.made).toHaveLength(3);
    expect(setup.claimer.waitingForPlacement).toBe(4);
  });

  it('takes no more than its capacity, and marks what no worker has room for as unplaced', async () => {
    const setup = setUp({ sessions: 5, capacity: 2 });
    setup.claimer.start();
    await reconciled();
    await setup.claimer.stop();

    expect(setup.supervisor.count).toBe(2);
    expect(setup.unplacedGauge.value()).toBe(3);
    const waiting = ['s1', 's2', 's3', 's4', 's5'].filter((id) => !setup.supervisor.holds(id));
    expect(setup.recorder.marked.sort()).toEqual(waiting);
    expect(setup.sessions.rows.get(waiting[0])).toMatchObject({ status: 'disconnected', lastError: UNPLACED_ERROR });
  });

  it('claims a session reserved for it, leaves one reserved for another live active worker, takes over one whose receiver is gone or draining', async () => {
    const setup = setUp({ sessions: 4, live: [workerInfo('w2'), workerInfo('w5', { state: 'draining' })] });
    setup.moves.reservations.set('s1', reservation('w1'));
    setup.moves.reservations.set('s2', reservation('w2'));
    setup.moves.reservations.set('s3', reservation('w-gone'));
    setup.moves.reservations.set('s4', reservation('w5'));
    setup.claimer.start();
    await reconciled();
    await setup.claimer.stop();

    expect(setup.supervisor.holds('s1')).toBe(true);
    expect(setup.moves.settled).toContain('s1→w1');
    expect(setup.supervisor.holds('s2')).toBe(false);
    // Four wanted, two active workers: two each; s1 already counts, so one of the two without a receiver.
    expect(['s3', 's4'].filter((id) => setup.supervisor.holds(id))).toHaveLength(1);
    expect(setup.claimer.waitingForPlacement).toBe(2);
  });

  it('gives a less loaded worker a head start before claiming', async () => {
    // Six sessions, two workers: three each. This worker holds two, w2 one (s3).
    const setup = setUp({ sessions: 6, live: [workerInfo('w2', { sessionsHeld: 1 })] });
    setup.leases.takenBy('s3', 'w2');
    await setup.supervisor.claim('s1');
    await setup.supervisor.claim('s2');
    setup.claimer.start();
    await jest.advanceTimersByTimeAsync(290);
    expect(setup.supervisor.count).toBe(2);
    await jest.advanceTimersByTimeAsync(20);
    expect(setup.supervisor.count).toBe(3);
    await setup.claimer.stop();
  });

  it('claims nothing while draining, but still counts what waits for placement', async () => {
    const setup = setUp({ sessions: 3 });
    setup.state.cordon();
    setup.claimer.start();
    await reconciled();
    await setup.claimer.stop();
    expect(setup.supervisor.count).toBe(0);
    expect(setup.claimer.waitingForPlacement).toBe(3);
  });

  it('retries a claim that failed on the next reconciliation', async () => {
    const setup = setUp({ sessions: 1 });
    setup.factory.next = { startFailure: new Error('database too busy') };
    setup.claimer.start();
    await reconciled();
    expect(setup.supervisor.holds('s1')).toBe(false);
    expect(setup.leases.held.size).toBe(0);

    await jest.advanceTimersByTimeAsync(setup.config.RECONCILE_INTERVAL_MS);
    expect(setup.supervisor.holds('s1')).toBe(true);
    await setup.claimer.stop();
  });

  it('runs reconciliations one at a time: those asked for meanwhile become one more run after it', async () => {
    const setup = setUp({ sessions: 2 });
    let listings = 0;
    let proceed!: () => void;
    const gate = new Promise<void>((resolve) => (proceed = resolve));
    const list = setup.sessions.listWantingConnection.bind(setup.sessions);
    setup.sessions.listWantingConnection = async () => {
      listings += 1;
      await gate;
      return list();
    };
    setup.claimer.start();
    setup.claimer.reconcileSoon();
    setup.claimer.reconcileSoon();
    await jest.advanceTimersByTimeAsync(10);
    expect(listings).toBe(1);
    proceed();
    await reconciled();
    expect(listings).toBe(2);
    await setup.claimer.stop();
  });

  it('does nothing before start or after stop', async () => {
    const setup = setUp({ sessions: 2 });
    setup.claimer.reconcileSoon();
    await reconciled();
    expect(setup.supervisor.count).toBe(0);

    setup.claimer.start();
    await setup.claimer.stop();
    setup.sessions.add('s3');
    await jest.advanceTimersByTimeAsync(setup.config.RECONCILE_INTERVAL_MS * 2);
    setup.claimer.reconcileSoon();
    await reconciled();
    // The run under way at stop claimed nothing after it (stop comes first), and none ran since.
    expect(setup.supervisor.count).toBe(0);
  });
});
