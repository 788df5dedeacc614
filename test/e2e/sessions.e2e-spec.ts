import { Queue } from 'bullmq';
import { QUEUES, type SessionStatusChangedEvent } from '@app/contracts';
import { DbFixtures } from '../support/db-fixtures';
import { eventually, SuiteHarness } from '../support/suite-harness';

/**
 * Session lifecycle on horizontally scaled workers (issue 5), with real processes: the built
 * gateway and workers, real Baileys inside the workers, the project's WhatsApp simulator.
 */
/** The default lease TTL: a kill -9 failover takes about this long; a SIGTERM hand-over must not. */
const LEASE_TTL_MS = 5_000;

describe('sessions on scaled workers', () => {
  const suite = new SuiteHarness({ workers: 2, env: { LEASE_TTL_MS: String(LEASE_TTL_MS) } });
  const fixtures = new DbFixtures();
  let userId: string;

  const session = async (id: string) => (await suite.api.get(`/sessions/${id}`)).body;
  const waitForStatus = (id: string, status: string, timeoutMs = 15_000) =>
    eventually(async () => ((await session(id)).status === status ? session(id) : undefined), timeoutMs, `session ${id} ${status}`);

  const link = (id: string) => suite.linkSession(id, userId);

  const holders = async (ids: string[]) => {
    const views = await Promise.all(ids.map(session));
    return views.map((view) => view.workerId as string | null);
  };

  beforeAll(async () => {
    await suite.start();
    userId = (await fixtures.user()).id;
  }, 120_000);

  afterAll(async () => {
    await suite.stop();
    await fixtures.close();
  });

  it('creates a session, shows its QR, and records the phone once the QR is scanned', async () => {
    const phone = suite.newPhone();
    await suite.sim.client.createAccount(phone);
    const created = await suite.api.post('/sessions', { agentId: 'qr-flow', agentName: 'QR flow', ownerId: userId });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'qr-flow', userId, status: 'awaiting_qr', live: { isReady: false, qr: { qr: { contentType: 'image/png' } } } });
    expect(Buffer.from(created.body.live.qr.qr.base64, 'base64').subarray(1, 4).toString()).toBe('PNG');

    const raw = await suite.api.get('/sessions/qr-flow/qr?format=raw');
    await suite.sim.client.scanQr(phone, raw.body.qr);
    const connected = await waitForStatus('qr-flow', 'connected');
    expect(connected).toMatchObject({ phone, autoConnect: true, live: { isReady: true, status: 'connected' } });
    expect(Date.parse(connected.lastConnectedAt)).not.toBeNaN();
  });

  it('serves the QR as raw string, PNG data URL, PNG image and SVG (seed 002)', async () => {
    await suite.api.post('/sessions', { agentId: 'qr-formats', agentName: 'QR formats', ownerId: userId, waitForQr: false });
    const raw = await suite.api.get('/sessions/qr-formats/qr?format=raw&wait=30');
    expect(raw.body).toEqual({ qr: expect.any(String), qrUpdatedAt: expect.any(String) });
    const dataUrl = await suite.api.get('/sessions/qr-formats/qr?format=png');
    expect(dataUrl.body.qr).toMatch(/^data:image\/png;base64,/);
    const png = await suite.api.call('GET', '/sessions/qr-formats/qr?format=png', undefined, { accept: 'image/png' });
    expect(png.headers.get('content-type')).toContain('image/png');
    const svg = await suite.api.get('/sessions/qr-formats/qr?format=svg');
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    expect(String(svg.body)).toContain('<svg');
    const png003 = await suite.api.post('/sessions/qr-formats/qr');
    expect(png003.body).toMatchObject({ qr: { contentType: 'image/png', base64: expect.any(String) }, qrUpdatedAt: expect.any(String) });
  });

  it('links by pairing code, and refuses a code for a registered session', async () => {
    const phone = suite.newPhone();
    await suite.sim.client.createAccount(phone);
    await suite.api.post('/sessions', { agentId: 'by-code', agentName: 'By code', ownerId: userId, waitForQr: false });
    const pairing = await suite.api.post('/sessions/by-code/pairing-code', { phone: `+${phone}` });
    expect(pairing.status).toBe(200);
    expect(pairing.body.code).toMatch(/^[A-Z0-9]{8}$/);
    expect((await session('by-code')).status).toBe('pairing');
    await suite.sim.client.completePairingCode(phone, pairing.body.code);
    await waitForStatus('by-code', 'connected');
    const again = await suite.api.post('/sessions/by-code/pairing-code', { phone });
    expect(again.status).toBe(409);
  });

  it('refuses to link a phone that another active session holds, and unlinks the new device', async () => {
    const phone = await link('first-holder');
    const second = await suite.api.post('/sessions', { agentId: 'second-holder', agentName: 'Second', ownerId: userId, waitForQr: false });
    expect(second.status).toBe(201);
    const qr = await suite.api.get('/sessions/second-holder/qr?format=raw&wait=30');
    await suite.sim.client.scanQr(phone, qr.body.qr);
    const refused = await waitForStatus('second-holder', 'error');
    expect(refused).toMatchObject({ autoConnect: false, lastError: expect.stringContaining('PHONE_ALREADY_LINKED') });
    await eventually(async () => ((await suite.sim.client.phone(phone)).devices.length === 1 ? true : undefined), 10_000, 'duplicate device unlinked');
    expect((await session('first-holder')).status).toBe('connected');
    const check = await suite.api.post('/sessions/check-phone', { phoneNumber: `0${phone.slice(2)}` });
    expect(check.body).toEqual({ hasActiveSession: true, sessionId: 'first-holder' });
  });

  it('spreads sessions over both workers', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `spread-${i}`);
    for (const id of ids) await link(id);
    const byWorker = await holders(ids);
    expect(new Set(byWorker)).toEqual(new Set(['w1', 'w2']));
  }, 120_000);

  it("moves a killed worker's sessions to the other within the lease TTL + 5 s, never connected twice", async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `spread-${i}`);
    const before = await holders(ids);
    const victim = before.filter((worker) => worker === 'w1').length > 0 ? 'w1' : 'w2';
    const survivor = victim === 'w1' ? 'w2' : 'w1';
    const moved = ids.filter((_, i) => before[i] === victim);
    const linkedDevices = await Promise.all(moved.map(async (id) => (await session(id)).phone as string));
    await suite.sim.client.resetMaxConnections();
    const killedAt = Date.now();
    await suite.stopWorker(victim, 'SIGKILL');

    const liveOnSurvivor = async () => {
      const views = await Promise.all(moved.map(session));
      return views.every((view) => view.workerId === survivor && view.live?.isReady) ? true : undefined;
    };
    await eventually(liveOnSurvivor, LEASE_TTL_MS + 5_000, 'failover within lease TTL + 5 s');
    expect(Date.now() - killedAt).toBeLessThan(LEASE_TTL_MS + 5_000);
    const connections = await suite.sim.client.connections();
    for (const phone of linkedDevices) {
      const account = connections.accounts.find((entry) => entry.phoneNumber === phone);
      expect({ phone, max: account?.max }).toEqual({ phone, max: 1 });
      expect((await suite.sim.client.phone(phone)).devices).toHaveLength(1);
    }
    await suite.startWorker(victim);
  }, 60_000);

  it('hands sessions over on SIGTERM, without two connections and without a long gap', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `spread-${i}`);
    await eventually(async () => (new Set(await holders(ids)).size === 1 ? true : undefined), 5_000, 'settled');
    const leaving = (await holders(ids))[0]!;
    await suite.sim.client.resetMaxConnections();
    const stoppedAt = Date.now();
    await suite.stopWorker(leaving, 'SIGTERM');
    const liveElsewhere = async () => {
      const views = await Promise.all(ids.map(session));
      return views.every((view) => view.workerId && view.workerId !== leaving && view.live?.isReady) ? true : undefined;
    };
    await eventually(liveElsewhere, LEASE_TTL_MS + 5_000, 'hand-over');
    // Under the lease TTL: the leaving worker freed its leases instead of letting them expire.
    expect(Date.now() - stoppedAt).toBeLessThan(LEASE_TTL_MS);
    const connections = await suite.sim.client.connections();
    expect(Math.max(...connections.accounts.map((account) => account.max))).toBeLessThanOrEqual(1);
    await suite.startWorker(leaving);
  }, 60_000);

  it('reconnects by itself after a dropped connection', async () => {
    const phone = (await session('qr-flow')).phone as string;
    await suite.sim.client.drop(phone);
    await eventually(async () => ((await session('qr-flow')).status !== 'connected' ? true : undefined), 5_000, 'drop noticed');
    await waitForStatus('qr-flow', 'connected', 15_000);
  });

  it('marks a session logged out when the phone unlinks it, and never reconnects it', async () => {
    const phone = await link('unlinked-by-phone');
    const device = (await suite.sim.client.phone(phone)).devices[0];
    await suite.sim.client.unlink(phone, device.deviceId);
    const loggedOut = await waitForStatus('unlinked-by-phone', 'logged_out');
    expect(loggedOut).toMatchObject({ autoConnect: false, live: null });
    const rows = await fixtures.prisma.authKey.count({ where: { sessionId: 'unlinked-by-phone' } });
    expect(rows).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await session('unlinked-by-phone')).status).toBe('logged_out');
  });

  it('deletes a session with its auth state; a second delete answers deleted: false', async () => {
    await link('to-delete');
    expect(await fixtures.prisma.authKey.count({ where: { sessionId: 'to-delete' } })).toBeGreaterThan(0);
    const deleted = await suite.api.delete('/sessions/to-delete');
    expect(deleted).toMatchObject({ status: 200, body: { id: 'to-delete', deleted: true } });
    expect(await fixtures.prisma.authKey.count({ where: { sessionId: 'to-delete' } })).toBe(0);
    expect(await fixtures.prisma.authCreds.count({ where: { sessionId: 'to-delete' } })).toBe(0);
    expect((await suite.api.delete('/sessions/to-delete')).body).toEqual({ id: 'to-delete', deleted: false });
    expect((await suite.api.get('/sessions/to-delete')).status).toBe(404);
  });

  it('rejects ids outside the pattern with 400 and unknown sessions with 404', async () => {
    const invalid = await suite.api.get('/sessions/a!');
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('INVALID_PAYLOAD');
    const tooShort = await suite.api.post('/sessions', { agentId: 'ab', agentName: 'x', ownerId: userId });
    expect(tooShort.status).toBe(400);
    const unknown = await suite.api.get('/sessions/does-not-exist');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('SESSION_NOT_FOUND');
  });

  it('restores every linked session after a full restart, without a new QR', async () => {
    const linked = (await suite.api.get('/sessions?status=connected')).body.map((entry: { id: string }) => entry.id) as string[];
    expect(linked.length).toBeGreaterThanOrEqual(10);
    const devicesBefore = (await suite.sim.client.listAccounts()).map((account) => account.devices.length);
    await Promise.all([...suite.workers.keys()].map((id) => suite.stopWorker(id, 'SIGTERM')));
    await suite.gateway.stop('SIGTERM');
    await suite.startGateway();
    await Promise.all([suite.startWorker('w1'), suite.startWorker('w2')]);
    const restored = async () => {
      const views = await Promise.all(linked.map(session));
      return views.every((view) => view.live?.isReady) ? views : undefined;
    };
    const views = await eventually(restored, 30_000, 'restore');
    expect(views.every((view) => view.live.qr === null && view.workerId)).toBe(true);
    expect((await suite.sim.client.listAccounts()).map((account) => account.devices.length)).toEqual(devicesBefore);
  }, 90_000);
});

describe('sessions whose WhatsApp connection keeps failing', () => {
  const suite = new SuiteHarness({ workers: 1, env: { RECONNECT_MAX_ATTEMPTS: '2', RECONNECT_BASE_MS: '100', RECONNECT_MAX_MS: '200' } });
  const fixtures = new DbFixtures();

  beforeAll(() => suite.start(), 120_000);
  afterAll(async () => {
    await suite.stop();
    await fixtures.close();
  });

  it('publishes every status transition on the session-events queue', async () => {
    await suite.linkSession('evented', (await fixtures.user()).id);
    const queue = new Queue<SessionStatusChangedEvent>(QUEUES.sessionEvents, {
      connection: { url: suite.env.REDIS_URL },
      prefix: `${suite.prefix}:bull`,
    });
    try {
      const events = (await queue.getJobs(['waiting', 'delayed', 'completed']))
        .map((job) => job.data)
        .filter((event) => event.sessionId === 'evented')
        .sort((a, b) => a.at.localeCompare(b.at));
      expect(events.map((event) => event.status)).toEqual(['connecting', 'awaiting_qr', 'connecting', 'connected']);
      expect(events.at(-1)).toMatchObject({ previousStatus: 'connecting', workerId: 'w1', phone: expect.stringMatching(/^\d+$/) });
    } finally {
      await queue.close();
    }
  });

  it('gives up after the configured number of failed reconnects and says why', async () => {
    await suite.stopSimulator();
    const failed = await eventually(
      async () => {
        const view = (await suite.api.get('/sessions/evented')).body;
        return view.status === 'error' ? view : undefined;
      },
      15_000,
      'session in error',
    );
    expect(failed).toMatchObject({ autoConnect: false, lastError: expect.stringContaining('gave up after 2 reconnect attempts') });
  });
});
