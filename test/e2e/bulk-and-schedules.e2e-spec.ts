import { DbFixtures } from '../support/db-fixtures';
import { eventually, SuiteHarness } from '../support/suite-harness';

/**
 * Bulk jobs and scheduled messages (issue 6, seed 002) through the real gateway, scheduler and
 * session workers to the simulator, whose log has one record per message stanza it received:
 * a message sent twice would show up twice.
 */
describe('bulk jobs and scheduled messages', () => {
  const suite = new SuiteHarness({
    workers: 2,
    scheduler: true,
    // Pacing is tested elsewhere (test/e2e/pacing.e2e-spec.ts); a deliver call to a killed worker is given up on sooner.
    env: {
      SEND_RATE_PER_MINUTE: '0',
      BULK_SEND_DELAY_MIN_MS: '0',
      BULK_SEND_DELAY_MAX_MS: '0',
      BULK_SEND_MAX_PER_MINUTE: '0',
      BULK_SEND_MAX_PER_HOUR: '0',
      BULK_SEND_MAX_PER_RECIPIENT_PER_HOUR: '0',
      WORKER_RPC_TIMEOUT_MS: '3000',
    },
  });
  const fixtures = new DbFixtures();
  const session = 'bulk-sender';
  let contact: string;

  const received = async (prefix: string) => (await suite.sim.client.sentMessages({ to: contact })).filter((record) => record.text?.startsWith(prefix));
  const job = async (id: string) => (await suite.api.get(`/sessions/${session}/jobs/${id}`)).body;
  const scheduleAt = async (text: string, sendAt: Date) => {
    const response = await suite.api.post(`/sessions/${session}/schedules`, {
      to: contact,
      message: text,
      scheduleTime: sendAt.toISOString(),
      timezone: 'Asia/Jakarta',
    });
    expect(response.status).toBe(201);
    return response.body as { id: string; sendAt: string };
  };
  /** Waits for the one record of `text` and returns how late it arrived, in ms. */
  const lateness = async (text: string, sendAt: Date, timeoutMs = 30_000) => {
    const [record] = await eventually(
      async () => {
        const records = await received(text);
        return records.length > 0 ? records : undefined;
      },
      timeoutMs,
      `"${text}" received`,
    );
    return Date.parse(record.receivedAt) - sendAt.getTime();
  };

  beforeAll(async () => {
    await suite.start();
    await suite.linkSession(session, (await fixtures.user()).id);
    contact = await suite.newContact('Budi');
  }, 120_000);

  afterAll(async () => {
    await suite.stop();
    await fixtures.close();
  });

  it('delivers all 200 messages of a job exactly once although the owning worker is killed (SIGKILL) mid-job', async () => {
    const items = Array.from({ length: 200 }, (_, index) => ({ to: contact, message: `bulk ${index}` }));
    const created = await suite.api.post(`/sessions/${session}/jobs`, { items, delay: 0 });
    expect(created.status).toBe(202);
    const jobId = created.body.id as string;

    const progress = await eventually(
      async () => {
        const current = await job(jobId);
        return current.currentIndex >= 40 ? current : undefined;
      },
      60_000,
      '40 items sent',
    );
    const owner = (await suite.api.get(`/sessions/${session}`)).body.workerId as string;
    await suite.stopWorker(owner, 'SIGKILL');
    expect(progress.currentIndex).toBeLessThan(200);

    const done = await eventually(
      async () => {
        const current = await job(jobId);
        return ['completed', 'failed'].includes(current.status) ? current : undefined;
      },
      120_000,
      'job finished',
    );
    expect(done).toMatchObject({ status: 'completed', total: 200, currentIndex: 200, successCount: 200, errorCount: 0 });
    expect(done.messages.sent + done.messages.delivered + done.messages.read).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const records = await received('bulk ');
    // One record per message id (the simulator folds resends of an id into `transmissions`), so a
    // second send of an item under a new id would show as its text twice.
    const perText = new Map<string, number>();
    for (const record of records) perText.set(record.text!, (perText.get(record.text!) ?? 0) + 1);
    expect([...perText.entries()].filter(([, count]) => count > 1)).toEqual([]);
    expect(new Set(perText.keys())).toEqual(new Set(items.map((item) => item.message)));
    expect(records).toHaveLength(200);
    // The only resend a kill can cause is the one message in flight, under its own id (which the
    // phone keeps once): one extra transmission at most.
    const transmissions = records.reduce((sum, record) => sum + record.transmissions, 0);
    expect(transmissions - records.length).toBeLessThanOrEqual(1);
    console.log(
      `bulk job: owner ${owner} killed at item ${progress.currentIndex}; the contact got ${records.length} messages (${transmissions} transmissions), ${perText.size} texts`,
    );
    await suite.startWorker(owner);
  }, 240_000);

  it('cancels a job: nothing more arrives', async () => {
    const items = Array.from({ length: 20 }, (_, index) => ({ to: contact, message: `stop ${index}` }));
    const created = await suite.api.post(`/sessions/${session}/jobs`, { items, delay: 1 });
    await eventually(async () => ((await received('stop ')).length >= 2 ? true : undefined), 30_000, 'two items received');
    const cancelled = await suite.api.post(`/sessions/${session}/jobs/${created.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const atCancel = (await received('stop ')).length;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await received('stop ')).length).toBeLessThanOrEqual(atCancel + 1);
    const listed = await suite.api.get(`/sessions/${session}/jobs?status=cancelled`);
    expect(listed.body.map((entry: { id: string }) => entry.id)).toContain(created.body.id);
  }, 60_000);

  it('delivers a schedule due while the scheduler restarts (SIGTERM, then start) once, on time', async () => {
    const sendAt = new Date(Date.now() + 6_000);
    const schedule = await scheduleAt('restart SIGTERM', sendAt);
    await new Promise((resolve) => setTimeout(resolve, sendAt.getTime() - 1_000 - Date.now()));
    const stopping = suite.stopScheduler('SIGTERM');
    await Promise.all([stopping, suite.startScheduler()]);
    const late = await lateness('restart SIGTERM', sendAt);
    console.log(`schedule due during a scheduler restart (SIGTERM): received ${late} ms after its time`);
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(1_000);
    await eventually(
      async () => ((await suite.api.get(`/sessions/${session}/schedules/${schedule.id}`)).body.status === 'sent' ? true : undefined),
      10_000,
      'schedule sent',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await received('restart SIGTERM')).toHaveLength(1);
  }, 60_000);

  it('delivers a schedule due while the scheduler restarts after a crash (SIGKILL) once, on time', async () => {
    const sendAt = new Date(Date.now() + 7_000);
    await scheduleAt('restart SIGKILL', sendAt);
    // Killed before the job is picked up (2 s before the time); the new process takes it over.
    await new Promise((resolve) => setTimeout(resolve, sendAt.getTime() - 3_000 - Date.now()));
    await suite.stopScheduler('SIGKILL');
    await suite.startScheduler();
    const late = await lateness('restart SIGKILL', sendAt);
    console.log(`schedule due during a scheduler restart after SIGKILL: received ${late} ms after its time`);
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(1_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await received('restart SIGKILL')).toHaveLength(1);
  }, 60_000);

  it('delivers once, within the lock expiry, a schedule whose scheduler was killed while holding it', async () => {
    const sendAt = new Date(Date.now() + 6_000);
    await scheduleAt('held when killed', sendAt);
    // Picked up 2 s before its time, so the killed scheduler holds it: the next one takes it over
    // once the dead one's lock expires (SCHEDULE_WORKER_OPTIONS).
    await new Promise((resolve) => setTimeout(resolve, sendAt.getTime() - 1_000 - Date.now()));
    await suite.stopScheduler('SIGKILL');
    await suite.startScheduler();
    const late = await lateness('held when killed', sendAt);
    console.log(`schedule held by a scheduler killed 1 s before its time: received ${late} ms after its time`);
    expect(late).toBeLessThan(15_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await received('held when killed')).toHaveLength(1);
  }, 60_000);

  it('lists schedules by status and cancels one: it never arrives', async () => {
    const sendAt = new Date(Date.now() + 4_000);
    const schedule = await scheduleAt('cancelled schedule', sendAt);
    const pending = await suite.api.get(`/sessions/${session}/schedules?status=pending`);
    expect(pending.body.map((entry: { id: string }) => entry.id)).toContain(schedule.id);
    const cancelled = await suite.api.delete(`/sessions/${session}/schedules/${schedule.id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, sendAt.getTime() + 2_000 - Date.now()));
    expect(await received('cancelled schedule')).toEqual([]);
    const listed = await suite.api.get(`/sessions/${session}/schedules?status=cancelled`);
    expect(listed.body.map((entry: { id: string }) => entry.id)).toContain(schedule.id);
  }, 30_000);
});
