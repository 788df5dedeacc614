import { DbFixtures } from '../support/db-fixtures';
import { eventually, SuiteHarness } from '../support/suite-harness';

/**
 * Send pacing by origin (issue 14) through the gateway, scheduler and a worker to the simulator:
 * the times are the simulated contacts' decrypt times. Bulk jobs get seed 001's anti-spam queue
 * by default, single sends keep seed 003's token bucket, and a session's own settings override both.
 */
describe('send pacing of bulk jobs and single sends', () => {
  const suite = new SuiteHarness({ workers: 1, scheduler: true });
  const fixtures = new DbFixtures();
  const session = 'paced-sender';

  /** Decrypt times (ms) at `contact` of the texts starting with `prefix`, in order. */
  const arrivals = async (contact: string, prefix: string, count: number, timeoutMs: number): Promise<number[]> =>
    eventually(
      async () => {
        const records = (await suite.sim.client.sentMessages({ to: contact })).filter((record) => record.text?.startsWith(prefix));
        return records.length >= count ? records.map((record) => record.receivedAtMs).sort((a, b) => a - b) : undefined;
      },
      timeoutMs,
      `${count} "${prefix}" texts at ${contact}`,
    );
  const gaps = (times: number[]) => times.slice(1).map((time, index) => time - times[index]);
  const job = async (id: string) => (await suite.api.get(`/sessions/${session}/jobs/${id}`)).body;
  const startJob = async (items: Array<{ to: string; message: string }>) => {
    const created = await suite.api.post(`/sessions/${session}/jobs`, { items, delay: 0 });
    expect(created.status).toBe(202);
    return created.body.id as string;
  };

  beforeAll(async () => {
    await suite.start();
    await suite.linkSession(session, (await fixtures.user()).id);
  }, 120_000);

  afterAll(async () => {
    await suite.stop();
    await fixtures.close();
  });

  it("spaces the items of a bulk job by seed 001's random 3-7 s pause with the default profile", async () => {
    const contact = await suite.newContact('Default');
    expect((await suite.api.get(`/sessions/${session}/pacing`)).body.bulk).toMatchObject({ delayMinMs: 3000, delayMaxMs: 7000, maxPerMinute: 20 });
    const jobId = await startJob([0, 1, 2].map((index) => ({ to: contact, message: `default ${index}` })));
    const times = await arrivals(contact, 'default ', 3, 30_000);
    console.log(
      `bulk job under the default profile: gaps at the contact ${gaps(times)
        .map((gap) => Math.round(gap))
        .join(', ')} ms`,
    );
    for (const gap of gaps(times)) {
      expect(gap).toBeGreaterThanOrEqual(3_000 - 50);
      expect(gap).toBeLessThanOrEqual(7_000 + 1_000);
    }
    await eventually(async () => ((await job(jobId)).status === 'completed' ? true : undefined), 10_000, 'job completed');
  }, 60_000);

  it("applies the session's own profile: its pause, and its per-recipient cap holding the job while single sends go out at once", async () => {
    const updated = await suite.api.call('PUT', `/sessions/${session}/pacing`, { bulk: { delayMinMs: 400, delayMaxMs: 600, maxPerRecipientPerHour: 2 } });
    expect(updated.status).toBe(200);
    // The worker reads a session's settings again within 2 s (PACING_SETTINGS_REFRESH_MS).
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const [capped, other] = [await suite.newContact('Capped'), await suite.newContact('Other')];
    const jobId = await startJob([
      { to: capped, message: 'own 0' },
      { to: other, message: 'own 1' },
      { to: capped, message: 'own 2' },
      { to: capped, message: 'own 3' },
    ]);
    const [firstCapped, secondCapped] = await arrivals(capped, 'own ', 2, 20_000);
    const [toOther] = await arrivals(other, 'own ', 1, 5_000);
    for (const gap of gaps([firstCapped, toOther, secondCapped])) {
      expect(gap).toBeGreaterThanOrEqual(400 - 50);
      expect(gap).toBeLessThanOrEqual(600 + 1_000);
    }

    // The third text to the capped contact waits for the hour to free up; single sends are not held by it.
    const singles = [];
    for (const index of [0, 1, 2]) singles.push(await suite.api.post(`/agents/${session}/messages`, { to: capped, message: `single ${index}` }));
    expect(singles.map((response) => response.status)).toEqual([201, 201, 201]);
    const singleTimes = await arrivals(capped, 'single ', 3, 5_000);
    expect(Math.max(...gaps(singleTimes))).toBeLessThan(400);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await job(jobId)).toMatchObject({ status: 'processing', currentIndex: 3, successCount: 3 });
    expect((await suite.sim.client.sentMessages({ to: capped })).filter((record) => record.text === 'own 3')).toEqual([]);

    const cancelled = await suite.api.post(`/sessions/${session}/jobs/${jobId}/cancel`);
    expect(cancelled.body.status).toBe('cancelled');
    await suite.api.call('PUT', `/sessions/${session}/pacing`, {});
  }, 60_000);
});
