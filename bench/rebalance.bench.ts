/**
 * Rebalance benchmark (issue 10): linked sessions on two workers under steady sends; a third worker
 * joins and the other two hand it its share as planned moves. Measured: time from starting the
 * third worker (and from its registering) until every worker holds its fair share ± 1 with every
 * session connected again;
 * how long sessions took no sends (each move, from its old owner stopping sends to its new owner
 * being connected, as the new owner logs it; and the longest stretch of refusals a sending client
 * saw per session); messages accepted, lost and sent twice (the contact's phone on the simulator
 * counts them); the most live connections one account had at once.
 *
 *   npm run bench:rebalance                                        # 300 sessions
 *   REBALANCE_BENCH_SESSIONS=30 npm run bench:rebalance            # smoke run
 *
 * Knobs: REBALANCE_BENCH_SESSIONS (300), REBALANCE_BENCH_LINK_CONCURRENCY (6),
 * REBALANCE_BENCH_LANES (8) sends in flight with REBALANCE_BENCH_PAUSE_MS (100) between a lane's
 * sends, REBALANCE_BENCH_WARM_MS (5000) of traffic before the third worker starts and
 * REBALANCE_BENCH_AFTER_MS (5000) after balance, REBALANCE_BENCH_TIMEOUT_MS (300000) to balance.
 * Worker settings are the defaults (REBALANCE_MOVES_PER_SECOND 5, REBALANCE_TOLERANCE 1, send
 * pacing on) unless set in the environment of this command. Sizes other than 300 sessions write
 * `rebalance-<date>-smoke.json` instead of `rebalance-<date>.json`.
 */
import { randomInt } from 'node:crypto';
import { loadavg } from 'node:os';
import { deliveryReport, SendTraffic } from '../test/support/send-traffic';
import { log, machine, round, runBenchmark, writeResult } from './support/bench-report';
import { pollUntil, sessionId, sleep, SuiteUnderBench, WORKER_PHONE_PREFIX } from './support/suite-under-bench';

const setting = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const SESSIONS = setting('REBALANCE_BENCH_SESSIONS', 300);
const LINK_CONCURRENCY = setting('REBALANCE_BENCH_LINK_CONCURRENCY', 6);
const LANES = setting('REBALANCE_BENCH_LANES', 8);
const PAUSE_MS = setting('REBALANCE_BENCH_PAUSE_MS', 100);
const WARM_MS = setting('REBALANCE_BENCH_WARM_MS', 5_000);
const AFTER_MS = setting('REBALANCE_BENCH_AFTER_MS', 5_000);
const TIMEOUT_MS = setting('REBALANCE_BENCH_TIMEOUT_MS', 300_000);
/** Settings of this command's environment passed to every process (e.g. REBALANCE_MOVES_PER_SECOND). */
const PASSED_SETTINGS = [
  'REBALANCE_MOVES_PER_SECOND',
  'REBALANCE_TOLERANCE',
  'REBALANCE_COOLDOWN_MS',
  'MOVE_QUIESCE_TIMEOUT_MS',
  'RESTORE_CONCURRENCY',
  'SEND_RATE_PER_MINUTE',
];
/** Workers log each move they receive at info level: the per-move unavailability is read from there. */
const WORKER_LOGS = { LOG_LEVEL: 'info' };
const GOALS = { lost: 0, duplicated: 0, maxConnectionsPerAccount: 1 };

interface ListedWorker {
  id: string;
  sessionsHeld: number;
  movesInFlight: number;
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The moves a worker received, as it logged them ("moved session connected"). */
function receivedMoves(workerId: string, output: string[]): Array<{ sessionId: string; route: string; seconds: number }> {
  return output
    .filter((line) => line.includes('"moved session connected"'))
    .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as { sessionId: string; from: string; unavailableSeconds: number })
    .map((entry) => ({ sessionId: entry.sessionId, route: `${entry.from} > ${workerId}`, seconds: entry.unavailableSeconds }));
}

async function metricSum(url: string, name: string): Promise<number> {
  const text = await (await fetch(url)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

async function measure(suite: SuiteUnderBench) {
  await Promise.all([suite.startWorker('bench-w1', WORKER_LOGS), suite.startWorker('bench-w2', WORKER_LOGS)]);
  await pollUntil(async () => ((await suite.liveWorkers()).length === 2 ? true : undefined), 30_000, 'two workers registered', 250);
  const linkStarted = Date.now();
  const linkFailures = await suite.linkSessions(0, SESSIONS, LINK_CONCURRENCY);
  const failed = new Set(linkFailures.map((failure) => failure.sessionId));
  const sessionIds = Array.from({ length: SESSIONS }, (_, i) => sessionId(i)).filter((id) => !failed.has(id));
  log(`${sessionIds.length} of ${SESSIONS} sessions linked in ${round((Date.now() - linkStarted) / 1000, 1)} s`);
  for (const failure of linkFailures) log(`link failed: ${JSON.stringify(failure)}`);
  if (sessionIds.length < 3) throw new Error(`only ${sessionIds.length} sessions linked: nothing to rebalance`);
  await pollUntil(
    async () => ((await suite.connectionsOf(WORKER_PHONE_PREFIX)).live === sessionIds.length ? true : undefined),
    60_000,
    'every linked session connected',
    250,
  );
  const before = await suite.api<ListedWorker[]>('GET', '/workers');
  log(`before: ${before.map((worker) => `${worker.id} ${worker.sessionsHeld}`).join(', ')}`);

  const contact = `62899${String(randomInt(0, 1e8)).padStart(8, '0')}`;
  await suite.sim.createContact(contact, 'Bench contact');
  await suite.sim.resetMaxConnections();
  const traffic = new SendTraffic({
    baseUrl: suite.apiUrl,
    apiKey: suite.adminKey,
    sessionIds,
    to: contact,
    lanes: LANES,
    pauseMs: PAUSE_MS,
    retryCapMs: 100,
  }).start();
  const trafficStarted = Date.now();
  await sleep(WARM_MS);

  const joinedAt = Date.now();
  await suite.startWorker('bench-w3', WORKER_LOGS);
  // Fair shares of what the workers hold: a session whose link failed may still be held (waiting for its QR).
  let registeredAt: number | undefined;
  const after = await pollUntil(
    async () => {
      const workers = await suite.api<ListedWorker[]>('GET', '/workers');
      if (workers.some((worker) => worker.id === 'bench-w3')) registeredAt ??= Date.now();
      const fair = workers.reduce((sum, worker) => sum + worker.sessionsHeld, 0) / 3;
      const even = workers.length === 3 && workers.every((worker) => Math.abs(worker.sessionsHeld - fair) <= 1);
      if (!even) return undefined;
      return (await suite.connectionsOf(WORKER_PHONE_PREFIX)).live >= sessionIds.length ? workers : undefined;
    },
    TIMEOUT_MS,
    'every worker within its fair share ± 1, every linked session connected',
    250,
  );
  const balancedSeconds = round((Date.now() - joinedAt) / 1000, 1);
  const balancedAfterRegisteredSeconds = round((Date.now() - registeredAt!) / 1000, 1);
  log(
    `balanced ${balancedSeconds} s after starting the third worker, ${balancedAfterRegisteredSeconds} s after it registered: ${after.map((worker) => `${worker.id} ${worker.sessionsHeld}`).join(', ')}`,
  );
  await sleep(AFTER_MS);
  await traffic.stop();
  const trafficSeconds = (Date.now() - trafficStarted) / 1000;

  const delivery = await deliveryReport(suite.sim, contact, traffic.accepted, traffic.textPrefix, 120_000);
  const connections = await suite.connectionsOf(WORKER_PHONE_PREFIX);
  const moves = [...suite.workers.entries()].flatMap(([id, worker]) => receivedMoves(id, worker.output));
  const byRoute: Record<string, number> = {};
  for (const move of moves) byRoute[move.route] = (byRoute[move.route] ?? 0) + 1;
  const moveSeconds = moves.map((move) => move.seconds).sort((a, b) => a - b);
  const movesCounted = (await Promise.all([...suite.metricsUrls.values()].map((url) => metricSum(url, 'session_moves_total')))).reduce((a, b) => a + b, 0);
  const refusals = traffic.unavailability();
  const lost = delivery.missing.length;
  const duplicated = delivery.resent.length + delivery.unexpected.length;
  return {
    sessions: { requested: SESSIONS, linked: sessionIds.length, linkFailures },
    before: Object.fromEntries(before.map((worker) => [worker.id, worker.sessionsHeld])),
    after: Object.fromEntries(after.map((worker) => [worker.id, worker.sessionsHeld])),
    /** From starting the third worker's process (its boot included) until balanced. */
    balancedSeconds,
    /** From the third worker appearing in GET /workers until balanced. */
    balancedAfterRegisteredSeconds,
    moves: {
      counted: movesCounted,
      timed: moves.length,
      byRoute,
      sessionsMovedTwice: moves.length - new Set(moves.map((move) => move.sessionId)).size,
      unavailableSeconds: { p50: percentile(moveSeconds, 50), p95: percentile(moveSeconds, 95), max: moveSeconds.at(-1) ?? null },
    },
    client: {
      sessionsThatSawRefusals: refusals.length,
      longestRefusalSeconds: refusals[0] ? round(refusals[0].ms / 1000, 2) : 0,
    },
    messages: {
      accepted: delivery.accepted,
      acceptedPerSecond: round(delivery.accepted / trafficSeconds, 1),
      delivered: delivery.delivered,
      lost,
      duplicated,
      refusedForGood: traffic.refused.length,
      missing: delivery.missing,
      resent: delivery.resent,
      unexpected: delivery.unexpected,
    },
    maxConnectionsPerAccount: connections.maxPerAccount,
    goals: {
      lost: { goal: GOALS.lost, measured: lost, met: lost === GOALS.lost },
      duplicated: { goal: GOALS.duplicated, measured: duplicated, met: duplicated === GOALS.duplicated },
      maxConnectionsPerAccount: {
        goal: `≤ ${GOALS.maxConnectionsPerAccount}`,
        measured: connections.maxPerAccount,
        met: connections.maxPerAccount <= GOALS.maxConnectionsPerAccount,
      },
    },
    loadAverage1m: round(loadavg()[0]),
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const host = machine();
  const settings = Object.fromEntries(PASSED_SETTINGS.filter((name) => process.env[name]).map((name) => [name, process.env[name]!]));
  const suite = new SuiteUnderBench(settings);
  const cleanup = () => suite.close();
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  process.once('SIGTERM', () => void cleanup().finally(() => process.exit(143)));
  try {
    await suite.start();
    const measured = await measure(suite);
    const date = new Date().toISOString();
    writeResult(`rebalance-${date.slice(0, 10)}${SESSIONS === 300 ? '' : '-smoke'}`, {
      date,
      command: 'npm run bench:rebalance',
      machine: host,
      settings: {
        sessions: SESSIONS,
        linkConcurrency: LINK_CONCURRENCY,
        lanes: LANES,
        pauseMs: PAUSE_MS,
        warmMs: WARM_MS,
        afterMs: AFTER_MS,
        workerSettings:
          Object.keys(settings).length > 0
            ? settings
            : 'defaults (REBALANCE_MOVES_PER_SECOND 5, REBALANCE_TOLERANCE 1, MOVE_QUIESCE_TIMEOUT_MS 5000, send pacing 100/min)',
      },
      ...measured,
      runSeconds: round((Date.now() - started) / 1000, 1),
    });
  } catch (error) {
    process.stderr.write(`app output (warn and above): ${suite.saveOutputs().join(' ')}\n`);
    throw error;
  } finally {
    await cleanup();
  }
}

runBenchmark(main);
