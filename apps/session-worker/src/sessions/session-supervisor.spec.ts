import { fakeWorker, MemorySessions, type FakeRuntime } from '../../../../test/support/worker-fakes';

function setUp(capacity = 3) {
  const worker = fakeWorker({ config: { WORKER_CAPACITY: capacity }, sessions: new MemorySessions().add('s1').add('s2').add('s3').add('s4') });
  return { ...worker, active: worker.metrics.active, takeovers: worker.metrics.takeovers };
}

describe('SessionSupervisor', () => {
  afterEach(() => jest.useRealTimers());

  it('claims a session: takes its lease, records the ownership epoch, then starts its runtime', async () => {
    const { supervisor, leases, sessions, factory } = setUp();
    expect(await supervisor.claim('s1')).toBe(true);

    const runtime = factory.last();
    expect(runtime.session).toMatchObject({ sessionId: 's1', epoch: 1, lease: leases.held.get('s1') });
    expect(runtime.holder).toBe(supervisor);
    expect(runtime.starts).toBe(1);
    expect(sessions.rows.get('s1')).toMatchObject({ owner: 'w1', epoch: 1 });
    expect(supervisor.holds('s1')).toBe(true);
    expect(supervisor.heldLeases()).toEqual([leases.held.get('s1')]);
  });

  it('leaves a session whose lease another worker holds, without touching its ownership', async () => {
    const { supervisor, leases, sessions, factory } = setUp();
    leases.takenBy('s1', 'w2');
    expect(await supervisor.claim('s1')).toBe(false);
    expect(factory.made).toHaveLength(0);
    expect(sessions.rows.get('s1')).toMatchObject({ owner: null, epoch: 0 });
    expect(leases.held.get('s1')?.workerId).toBe('w2');
  });

  it('shares one claim between a command and a reconciliation claiming the same session at once', async () => {
    const { supervisor, factory, sessions } = setUp();
    const [first, second] = await Promise.all([supervisor.claim('s1'), supervisor.claim('s1')]);
    expect([first, second]).toEqual([true, true]);
    expect(factory.made).toHaveLength(1);
    expect(sessions.rows.get('s1')?.epoch).toBe(1);
    // Held now: another claim answers at once, without a lease round trip.
    expect(await supervisor.claim('s1')).toBe(true);
    expect(factory.made).toHaveLength(1);
  });

  it('keeps renewing the lease of a claim still recording its ownership, and frees it when the recording fails', async () => {
    const { supervisor, leases, sessions } = setUp();
    let proceed!: () => void;
    sessions.ownershipGate = new Promise((resolve) => (proceed = resolve));
    const claim = supervisor.claim('s1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(supervisor.heldLeases()).toEqual([leases.held.get('s1')]);
    expect(supervisor.holds('s1')).toBe(false);

    sessions.ownershipFailure = new Error('database too busy');
    proceed();
    await expect(claim).rejects.toThrow('database too busy');
    expect(leases.held.has('s1')).toBe(false);
    expect(supervisor.heldLeases()).toEqual([]);
    expect(supervisor.holds('s1')).toBe(false);
  });

  it('frees the lease when the session no longer wants a connection by the time its ownership is recorded', async () => {
    const { supervisor, leases, sessions, factory } = setUp();
    sessions.rows.get('s1')!.autoConnect = false;
    expect(await supervisor.claim('s1')).toBe(false);
    expect(leases.held.has('s1')).toBe(false);
    expect(factory.made).toHaveLength(0);
  });

  it('lets a session go when its start fails: the runtime is stopped, the lease and the ownership freed', async () => {
    const { supervisor, leases, sessions, factory } = setUp();
    factory.next = { startFailure: new Error('start failed') };
    await expect(supervisor.claim('s1')).rejects.toThrow('start failed');
    expect(factory.last().stops).toBe(1);
    expect(supervisor.holds('s1')).toBe(false);
    expect(leases.held.has('s1')).toBe(false);
    expect(sessions.rows.get('s1')).toMatchObject({ owner: null, epoch: 1 });
    // The next reconciliation can take it again, with a newer epoch.
    expect(await supervisor.claim('s1')).toBe(true);
    expect(factory.last().epoch).toBe(2);
  });

  it('counts a session taken over from a worker that never let it go, and not one it let go itself', async () => {
    const { supervisor, sessions, takeovers } = setUp();
    sessions.rows.get('s1')!.owner = 'w-dead';
    await supervisor.claim('s1');
    sessions.rows.get('s2')!.owner = 'w1';
    await supervisor.claim('s2');
    await supervisor.claim('s3');
    expect(takeovers.value({ worker: 'w1' })).toBe(1);
  });

  it('tells an arriving session it is held once its runtime exists, before it has connected', async () => {
    const { supervisor, factory } = setUp();
    let proceed!: () => void;
    factory.next = { startGate: new Promise((resolve) => (proceed = resolve)) };
    let heldBeforeStart: boolean | null = null;
    const claim = supervisor.claim('s1', { at: 1_000, held: () => (heldBeforeStart = supervisor.holds('s1') && factory.last().starts === 0) });
    await new Promise((resolve) => setImmediate(resolve));
    expect(heldBeforeStart).toBe(true);
    proceed();
    await claim;
    expect(supervisor.moveCandidates()).toEqual([{ sessionId: 's1', connected: false, idle: true, arrivedAt: 1_000 }]);
  });

  describe('claiming for a command (runtimeOrClaim)', () => {
    it('turns autoConnect on and claims a session that exists', async () => {
      const { supervisor, sessions } = setUp();
      sessions.rows.get('s1')!.autoConnect = false;
      const runtime = await supervisor.runtimeOrClaim('s1');
      expect(runtime.sessionId).toBe('s1');
      expect(sessions.rows.get('s1')?.autoConnect).toBe(true);
    });

    it('refuses a session that does not exist, and any while draining or at capacity', async () => {
      const { supervisor, state } = setUp(1);
      await expect(supervisor.runtimeOrClaim('nope')).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
      await supervisor.runtimeOrClaim('s1');
      await expect(supervisor.runtimeOrClaim('s2')).rejects.toMatchObject({ code: 'WORKER_NOT_OWNER', message: expect.stringContaining('capacity') });
      state.cordon();
      await expect(supervisor.runtimeOrClaim('s2')).rejects.toMatchObject({ code: 'WORKER_NOT_OWNER', message: expect.stringContaining('draining') });
      // What it holds still answers.
      expect((await supervisor.runtimeOrClaim('s1')).sessionId).toBe('s1');
    });
  });

  it('routes commands for sessions it does not hold elsewhere', () => {
    const { supervisor } = setUp();
    expect(() => supervisor.runtime('s1')).toThrow(expect.objectContaining({ code: 'WORKER_NOT_OWNER' }));
    expect(supervisor.runtimeIfHeld('s1')).toBeUndefined();
  });

  describe('letting sessions go', () => {
    it('a lease found lost on renewal: stops at once, frees neither the lease nor the ownership (another worker has them)', async () => {
      const { supervisor, leases, sessions, factory } = setUp();
      await supervisor.claim('s1');
      leases.takenBy('s1', 'w2');
      supervisor.lose(['s1', 'not-held']);
      expect(factory.last().stops).toBe(1);
      expect(supervisor.holds('s1')).toBe(false);
      await new Promise((resolve) => setImmediate(resolve));
      expect(leases.held.get('s1')?.workerId).toBe('w2');
      expect(sessions.rows.get('s1')?.owner).toBe('w1');
    });

    it('a stale epoch found by a write: stops the runtime and releases what is still its own', async () => {
      const { supervisor, leases, sessions, factory } = setUp();
      await supervisor.claim('s1');
      sessions.rows.get('s1')!.epoch = 5;
      sessions.rows.get('s1')!.owner = 'w2';
      factory.last().holder.leaseLost('s1', 'a newer owner took the session over');
      expect(factory.last().stops).toBe(1);
      expect(supervisor.holds('s1')).toBe(false);
      await new Promise((resolve) => setImmediate(resolve));
      expect(leases.held.has('s1')).toBe(false);
      // The release is fenced by the old epoch: the newer owner's record stays.
      expect(sessions.rows.get('s1')).toMatchObject({ owner: 'w2', epoch: 5 });
    });

    it('a session that ended by itself: lease and ownership freed, the runtime (already stopped) left alone', async () => {
      const { supervisor, leases, sessions, factory } = setUp();
      await supervisor.claim('s1');
      factory.last().holder.ended('s1', 'logged out from the phone');
      await new Promise((resolve) => setImmediate(resolve));
      expect(supervisor.holds('s1')).toBe(false);
      expect(leases.held.has('s1')).toBe(false);
      expect(sessions.rows.get('s1')?.owner).toBeNull();
      expect(factory.last().stops).toBe(0);
    });

    it('a release by request: stops and frees; false for a session not held', async () => {
      const { supervisor, leases, factory } = setUp();
      await supervisor.claim('s1');
      expect(await supervisor.release('s1')).toBe(true);
      expect(factory.last().stops).toBe(1);
      expect(leases.held.size).toBe(0);
      expect(await supervisor.release('s1')).toBe(false);
    });

    it('shutdown stops every session first, then frees every lease', async () => {
      const { supervisor, leases, sessions, factory } = setUp();
      await supervisor.claim('s1');
      await supervisor.claim('s2');
      expect(await supervisor.handOverAll()).toBe(2);
      expect(factory.made.map((runtime) => runtime.stops)).toEqual([1, 1]);
      expect(leases.held.size).toBe(0);
      expect([...sessions.rows.values()].map((row) => row.owner)).toEqual([null, null, null, null]);
      expect(supervisor.count).toBe(0);
    });
  });

  describe('planned hand-over', () => {
    it('takes no new sends once begun, and moves each session once', async () => {
      const { supervisor } = setUp();
      await supervisor.claim('s1');
      await supervisor.claim('s2');
      expect(supervisor.beginHandOver('s1')).not.toBeNull();
      expect(supervisor.beginHandOver('s1')).toBeNull();
      expect(supervisor.beginHandOver('not-held')).toBeNull();
      expect(() => supervisor.runtimeForSend('s1')).toThrow(
        expect.objectContaining({ code: 'SESSION_NOT_READY', details: expect.objectContaining({ retryAfterSeconds: 1 }) }),
      );
      expect(supervisor.runtimeForSend('s2').sessionId).toBe('s2');
      expect(supervisor.movesInFlight).toBe(1);
      expect(supervisor.moveCandidates().map((candidate) => candidate.sessionId)).toEqual(['s2']);
    });

    it('sends resume when the hand-over is abandoned', async () => {
      const { supervisor } = setUp();
      await supervisor.claim('s1');
      supervisor.beginHandOver('s1');
      supervisor.abandonHandOver('s1');
      expect(supervisor.runtimeForSend('s1').sessionId).toBe('s1');
      expect(supervisor.movesInFlight).toBe(0);
    });

    it('closes the socket, waits for writes on their way to finish, then frees the lease', async () => {
      jest.useFakeTimers();
      const { supervisor, leases, factory } = setUp();
      await supervisor.claim('s1');
      const runtime = supervisor.beginHandOver('s1')!;
      factory.last().quiet = false;
      const done = supervisor.completeHandOver('s1', runtime, 'rebalance');
      await jest.advanceTimersByTimeAsync(500);
      expect(factory.last().stops).toBe(1);
      expect(leases.held.has('s1')).toBe(true);
      factory.last().quiet = true;
      await jest.advanceTimersByTimeAsync(20);
      expect(await done).toBe(true);
      expect(leases.held.has('s1')).toBe(false);
      expect(supervisor.movesInFlight).toBe(0);
    });

    it('does not wait forever for a session that stays busy', async () => {
      jest.useFakeTimers();
      const { supervisor, leases, factory } = setUp();
      await supervisor.claim('s1');
      factory.last().quiet = false;
      const done = supervisor.completeHandOver('s1', supervisor.beginHandOver('s1')!, 'drain');
      await jest.advanceTimersByTimeAsync(2_100);
      expect(await done).toBe(true);
      expect(leases.held.has('s1')).toBe(false);
    });

    it('has nothing to hand over when the session was lost meanwhile, even if it was claimed here again', async () => {
      const { supervisor, leases, factory } = setUp();
      await supervisor.claim('s1');
      const moving = supervisor.beginHandOver('s1')!;
      supervisor.lose(['s1']);
      leases.held.delete('s1');
      await supervisor.claim('s1');
      expect(await supervisor.completeHandOver('s1', moving, 'rebalance')).toBe(false);
      // The newer runtime keeps its lease and takes sends.
      expect(factory.last().stops).toBe(0);
      expect(leases.held.has('s1')).toBe(true);
      expect(supervisor.runtimeForSend('s1').epoch).toBe(2);
    });
  });

  describe('what it reports', () => {
    it('counts connected sessions in sessions_active and held ones by status', async () => {
      const { supervisor, factory, active } = setUp();
      await supervisor.claim('s1');
      await supervisor.claim('s2');
      factory.made[0].connected = true;
      factory.made[0].status = 'connected';
      supervisor.refreshGauge();
      expect(active.value({ worker: 'w1' })).toBe(1);
      expect(Object.fromEntries(supervisor.statusCounts())).toEqual({ connected: 1, connecting: 1 });
    });

    it('measures the longest time a linked session has gone without a connection, leaving out those waiting for a QR', async () => {
      jest.useFakeTimers({ now: 100_000 });
      const { supervisor, factory } = setUp();
      await supervisor.claim('s1');
      await supervisor.claim('s2');
      const [first, second] = factory.made as [FakeRuntime, FakeRuntime];
      second.status = 'awaiting_qr';
      jest.setSystemTime(130_000);
      expect(supervisor.longestDisconnectedSeconds()).toBe(30);

      first.connected = true;
      first.status = 'connected';
      expect(supervisor.longestDisconnectedSeconds()).toBe(0);
      first.connected = false;
      first.status = 'disconnected';
      jest.setSystemTime(135_000);
      supervisor.refreshGauge();
      expect(supervisor.longestDisconnectedSeconds(140_000)).toBe(5);
    });
  });
});
