import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { Client } from 'pg';
import { eventually, SuiteHarness } from '../support/suite-harness';
import { ThrowawayPostgres, ThrowawayRedis } from '../support/throwaway-services';

const SESSIONS = 4;
/** Each session's client sends one message after another, paced, until the faults are over (and at least this many). */
const MIN_MESSAGES_PER_SESSION = 30;
const MAX_MESSAGES_PER_SESSION = 150;
const PACE_MS = 250;
/** How long one message may take, from its first try to an accepted answer, through all the faults. */
const ACCEPT_DEADLINE_MS = 120_000;

interface Answer {
  at: number;
  /** When the answer (or the client's timeout) came. */
  end: number;
  status: number;
  code?: string;
  retryAfter: string | null;
}

/**
 * Real processes on a Redis and a PostgreSQL of the test's own, while sends flow with retries under
 * Idempotency-Keys: a worker is killed (-9), Redis is killed and restarted empty, PostgreSQL
 * crashes and restarts. Afterwards every accepted message has arrived exactly once (the
 * simulator's records), no answer was a 5xx other than 503 (each with Retry-After), no account
 * ever had two live connections, and every session is connected again.
 */
describe('chaos: sends through a worker kill, a Redis loss and a PostgreSQL crash', () => {
  const redis = new ThrowawayRedis();
  const postgres = new ThrowawayPostgres();
  let suite: SuiteHarness;
  const answers: Answer[] = [];
  /** Per message, from its first try to the accepted answer. */
  const acceptLatencies: number[] = [];
  /** Each fault from when it was caused until the service was back. */
  const faults: Array<{ what: string; from: number; to: number }> = [];

  beforeAll(async () => {
    await Promise.all([redis.start(), postgres.init()]);
    const databaseUrl = await postgres.createDatabase('chaos');
    execFileSync('npm', ['run', '--silent', 'db:migrate'], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'ignore', 'inherit'] });
    suite = new SuiteHarness({
      workers: 2,
      env: { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, SEND_RESPONSE_WAIT_MS: '3000' },
    });
    await suite.start();
  }, 120_000);

  afterAll(async () => {
    await suite?.stop();
    await redis.kill();
    postgres.destroy();
  });

  /** One message, retried with its Idempotency-Key until accepted (2xx) or refused for good (4xx). */
  async function sendWithRetries(sessionId: string, to: string, text: string): Promise<number> {
    const key = randomUUID();
    const started = Date.now();
    for (;;) {
      let answer: Answer;
      const at = Date.now();
      try {
        const response = await fetch(`${suite.api.baseUrl}/agents/${sessionId}/messages`, {
          method: 'POST',
          headers: { 'x-api-key': suite.adminKey, 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify({ to, message: text }),
          signal: AbortSignal.timeout(20_000),
        });
        const body = (await response.json().catch(() => undefined)) as { error?: { code?: string } } | undefined;
        answer = { at, end: Date.now(), status: response.status, code: body?.error?.code, retryAfter: response.headers.get('retry-after') };
      } catch {
        answer = { at, end: Date.now(), status: 0, retryAfter: null };
      }
      answers.push(answer);
      if (answer.status >= 200 && answer.status < 300) {
        acceptLatencies.push(Date.now() - started);
        return answer.status;
      }
      const retryable = answer.status === 0 || answer.status === 503 || (answer.status === 409 && answer.retryAfter !== null);
      if (!retryable || Date.now() - started > ACCEPT_DEADLINE_MS) return answer.status;
      await new Promise((resolve) => setTimeout(resolve, Math.min(Number(answer.retryAfter ?? 1), 3) * 1_000));
    }
  }

  /** What the outbox says about messages that did not arrive (for the failure report). */
  async function outboxOf(texts: string[]): Promise<unknown[]> {
    const client = new Client({ connectionString: postgres.url('chaos') });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT session_id, content->>'text' AS text, status, attempts, error, retry_at, created_at, sent_at FROM outbound_messages WHERE content->>'text' = ANY($1) ORDER BY created_at`,
        [texts],
      );
      return rows.length > 0 ? rows : [`none of the ${texts.length} is in the outbox`];
    } finally {
      await client.end();
    }
  }

  async function fault(what: string, cause: () => Promise<void> | void, outageMs: number, recover: () => Promise<unknown>): Promise<void> {
    const from = Date.now();
    await cause();
    await new Promise((resolve) => setTimeout(resolve, outageMs));
    await recover();
    faults.push({ what, from, to: Date.now() });
  }

  async function chaos(): Promise<void> {
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await pause(3_000);
    await fault(
      'kill -9 of worker w1',
      () => suite.stopWorker('w1', 'SIGKILL'),
      4_000,
      () => suite.startWorker('w1'),
    );
    await pause(4_000);
    await fault(
      'kill -9 of Redis, restarted empty',
      () => redis.kill(),
      2_000,
      () => redis.start(),
    );
    await pause(6_000);
    await fault(
      'PostgreSQL crash (immediate shutdown), restarted with crash recovery',
      () => postgres.crash(),
      3_000,
      () => postgres.start(),
    );
    await pause(3_000);
  }

  it('delivers every accepted message exactly once, answers only 503 among 5xx, never doubles a socket, reconnects all', async () => {
    const userId = (await suite.api.post('/users', { email: `chaos-${randomUUID()}@test.local`, password: 'a long chaos passphrase', name: 'Chaos' })).body
      .id as string;
    const sessions = Array.from({ length: SESSIONS }, (_, index) => `chaos-${index}-${randomUUID().slice(0, 6)}`);
    const phones = new Map<string, string>();
    for (const sessionId of sessions) phones.set(sessionId, await suite.linkSession(sessionId, userId));
    const contact = await suite.newContact('Chaos contact');
    await suite.sim.client.resetMaxConnections();

    const accepted = new Map<string, number>();
    let faultsOver = false;
    const senders = sessions.map(async (sessionId) => {
      for (let index = 0; index < MAX_MESSAGES_PER_SESSION && (!faultsOver || index < MIN_MESSAGES_PER_SESSION); index++) {
        const text = `${sessionId} message ${index}`;
        accepted.set(text, await sendWithRetries(sessionId, contact, text));
        await new Promise((resolve) => setTimeout(resolve, PACE_MS));
      }
    });
    await chaos();
    faultsOver = true;
    await Promise.all(senders);

    // Sends were flowing through each fault: requests were under way while it lasted.
    for (const { what, from, to } of faults)
      expect({ what, requests: answers.some((answer) => answer.at <= to && answer.end >= from) }).toEqual({ what, requests: true });

    // Every message was accepted in the end (the client retried through every fault).
    const refused = [...accepted].filter(([, status]) => status < 200 || status >= 300);
    // A 500 is logged by the gateway with its stack: shown with the failure, it says where to look.
    const unexpected = () => suite.gateway.output.filter((line) => line.includes('unhandled error')).map((line) => line.slice(0, 2_000));
    expect({ refused, unexpected: refused.length > 0 ? unexpected() : [] }).toEqual({ refused: [], unexpected: [] });
    expect(accepted.size).toBeGreaterThanOrEqual(SESSIONS * MIN_MESSAGES_PER_SESSION);

    // No 5xx but 503, and every 503 says when to come back.
    const wrong = answers.filter((answer) => answer.status >= 500 && answer.status !== 503);
    expect({ wrong, unexpected: wrong.length > 0 ? unexpected() : [] }).toEqual({ wrong: [], unexpected: [] });
    expect(answers.filter((answer) => answer.status === 503 && answer.retryAfter === null)).toEqual([]);

    // Every session is back (its outbox drains only then), never with two live sockets for one account.
    const reconnected = await Promise.all(
      sessions.map(async (sessionId) => {
        const connected = await eventually(
          async () => ((await suite.api.get(`/sessions/${sessionId}`)).body.live?.isReady ? true : undefined),
          60_000,
          `${sessionId} connected`,
        ).catch(() => false);
        return { sessionId, connected, status: (await suite.api.get(`/sessions/${sessionId}`)).body.status };
      }),
    );
    const connections = await suite.sim.client.connections();
    const notBack = reconnected.filter((session) => !session.connected);
    // When one is not back, say what the workers and WhatsApp (the simulator) see.
    const seen =
      notBack.length === 0
        ? {}
        : {
            workers: (await suite.api.get('/workers')).body,
            simulator: notBack.map(({ sessionId }) => connections.accounts.find((account) => account.phoneNumber === phones.get(sessionId))),
          };
    expect({ notBack, ...seen }).toEqual({ notBack: [] });
    expect(Math.max(...connections.accounts.map((account) => account.max))).toBeLessThanOrEqual(1);

    // Each accepted text arrives, once (a resend under the same id only raises `transmissions`).
    const chaosRecords = async () => (await suite.sim.client.sentMessages({ to: contact })).filter((record) => record.text?.startsWith('chaos-'));
    const records = await eventually(
      async () => {
        const found = await chaosRecords();
        return found.length >= accepted.size ? found : undefined;
      },
      60_000,
      'every accepted message delivered',
    ).catch(() => chaosRecords());
    const perText = new Map<string, number>();
    for (const record of records) perText.set(record.text!, (perText.get(record.text!) ?? 0) + 1);
    const missing = [...accepted.keys()].filter((text) => !perText.has(text));
    expect({ missing, outbox: missing.length > 0 ? await outboxOf(missing) : [] }).toEqual({ missing: [], outbox: [] });
    expect([...perText.entries()].filter(([, count]) => count !== 1)).toEqual([]);
    expect(records).toHaveLength(accepted.size);

    const byStatus = answers.reduce<Record<string, number>>(
      (counts, answer) => ({
        ...counts,
        [`${answer.status}${answer.code ? ` ${answer.code}` : ''}`]: (counts[`${answer.status}${answer.code ? ` ${answer.code}` : ''}`] ?? 0) + 1,
      }),
      {},
    );
    const transmissions = records.reduce((sum, record) => sum + (record.transmissions ?? 1), 0);
    console.log(
      `chaos: ${faults.map(({ what, from, to }) => `${what} (${to - from} ms)`).join('; ')}. ${accepted.size} messages accepted and delivered once (${transmissions} transmissions); answers: ${JSON.stringify(byStatus)} (0 = no answer within 20 s); slowest acceptance ${Math.max(...acceptLatencies)} ms`,
    );
  }, 420_000);
});
