import type { SessionLeaseRepository } from '@app/redis';
import { fakeWorker, MemoryMetric, MemorySessions, partial, silentLogger } from '../../../../test/support/worker-fakes';
import { LeaseKeeper } from './lease-keeper.service';

/** LEASE_TTL_MS 3 s: renewals every second, self-fencing after 2.4 s without one. */
async function setUp() {
  const worker = fakeWorker({ config: { LEASE_TTL_MS: 3_000 }, sessions: new MemorySessions().add('s1').add('s2').add('s3') });
  const losses = new MemoryMetric();
  const keeper = new LeaseKeeper(
    partial<SessionLeaseRepository>(worker.leases),
    worker.supervisor,
    worker.identity,
    worker.config,
    silentLogger,
    losses.asCounter(),
  );
  await worker.supervisor.claim('s1');
  await worker.supervisor.claim('s2');
  return { ...worker, keeper, losses };
}

describe('LeaseKeeper', () => {
  afterEach(() => jest.useRealTimers());

  it('renews every held lease three times per TTL, and stops renewing when stopped', async () => {
    jest.useFakeTimers();
    const { keeper, leases, supervisor } = await setUp();
    keeper.start();
    await jest.advanceTimersByTimeAsync(3_000);
    expect(leases.renewals).toHaveLength(3);
    expect(leases.renewals.at(-1)).toEqual(supervisor.heldLeases());
    expect(supervisor.heldSessionIds()).toEqual(['s1', 's2']);
    keeper.stop();
    await jest.advanceTimersByTimeAsync(3_000);
    expect(leases.renewals).toHaveLength(3);
  });

  it('drops only the session whose lease another worker took, without freeing what is now that worker’s', async () => {
    const { keeper, leases, supervisor, sessions, factory, losses } = await setUp();
    leases.takenBy('s2', 'w2');
    await keeper.renew();
    expect(supervisor.heldSessionIds()).toEqual(['s1']);
    expect(factory.of('s2')?.stops).toBe(1);
    expect(factory.of('s1')?.stops).toBe(0);
    expect(leases.held.get('s2')?.workerId).toBe('w2');
    expect(sessions.rows.get('s2')?.owner).toBe('w1');
    expect(losses.value({ worker: 'w1' })).toBe(1);
  });

  it('drops a session whose lease expired while nobody took it (a long pause): another worker may be about to', async () => {
    const { keeper, leases, supervisor } = await setUp();
    leases.held.delete('s1');
    await keeper.renew();
    expect(supervisor.heldSessionIds()).toEqual(['s2']);
  });

  it('renews the lease of a claim still recording its ownership', async () => {
    const { keeper, leases, supervisor, sessions } = await setUp();
    let proceed!: () => void;
    sessions.ownershipGate = new Promise((resolve) => (proceed = resolve));
    const claim = supervisor.claim('s3');
    await new Promise((resolve) => setImmediate(resolve));
    await keeper.renew();
    expect(leases.renewals.at(-1)?.map((lease) => lease.sessionId)).toEqual(['s1', 's2', 's3']);
    proceed();
    expect(await claim).toBe(true);
  });

  it('rides out a short Redis outage, and closes every session once the leases may have expired (self-fencing)', async () => {
    jest.useFakeTimers();
    const { keeper, leases, supervisor, factory, losses } = await setUp();
    keeper.start();
    leases.down = new Error('connect ECONNREFUSED');
    await jest.advanceTimersByTimeAsync(2_000);
    expect(supervisor.heldSessionIds()).toEqual(['s1', 's2']);

    await jest.advanceTimersByTimeAsync(1_000);
    expect(supervisor.heldSessionIds()).toEqual([]);
    expect(factory.made.map((runtime) => runtime.stops)).toEqual([1, 1]);
    expect(losses.value({ worker: 'w1' })).toBe(2);
    keeper.stop();
  });

  it('counts the silence from the last renewal that worked', async () => {
    jest.useFakeTimers();
    const { keeper, leases, supervisor } = await setUp();
    keeper.start();
    await jest.advanceTimersByTimeAsync(2_000);
    leases.down = new Error('connect ECONNREFUSED');
    // Failures at 3 s and 4 s are 1 s and 2 s after the last renewal: within the TTL's margin.
    await jest.advanceTimersByTimeAsync(2_000);
    expect(supervisor.heldSessionIds()).toEqual(['s1', 's2']);
    leases.down = null;
    await jest.advanceTimersByTimeAsync(1_000);
    leases.down = new Error('connect ECONNREFUSED');
    await jest.advanceTimersByTimeAsync(2_000);
    expect(supervisor.heldSessionIds()).toEqual(['s1', 's2']);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(supervisor.heldSessionIds()).toEqual([]);
    keeper.stop();
  });

  it('updates sessions_active after every renewal', async () => {
    const { keeper, factory, metrics } = await setUp();
    factory.of('s1')!.connected = true;
    await keeper.renew();
    expect(metrics.active.value({ worker: 'w1' })).toBe(1);
  });
});
