/**
 * Send benchmark (issue 6): REST → simulator-decrypted latency of `POST /agents/{id}/messages`
 * next to a bare Baileys `sendMessage` on the same simulator in the same run; messages/s with
 * pacing off for one session and for many sessions (one worker) next to one bare Baileys process
 * holding as many companions. Results, goals and the reading are in docs/BENCHMARKS.md ("Sending").
 *
 *   npm run bench:send                # latency 1000 (+50 warm-up), 1 × 2000, 100 × 50
 *   SEND_BENCH_LATENCY_N=200 SEND_BENCH_WARMUP=20 SEND_BENCH_ONE_SESSION_N=200 \
 *     SEND_BENCH_SESSIONS=5 SEND_BENCH_PER_SESSION=40 npm run bench:send           # smoke run
 *
 * Knobs: SEND_BENCH_LATENCY_N (1000) sequential sends per path after SEND_BENCH_WARMUP (50);
 * SEND_BENCH_ONE_SESSION_N (2000) messages of the one-session run with SEND_BENCH_CONCURRENCY (32)
 * in flight; SEND_BENCH_SESSIONS (100) × SEND_BENCH_PER_SESSION (50) with
 * SEND_BENCH_MULTI_CONCURRENCY (200) in flight; SEND_BENCH_RECEIPTS (`read`: the contact sends
 * delivery and read receipts, as a phone does; `delivered`, `none`); SEND_BENCH_LINK_CONCURRENCY (6);
 * SEND_BENCH_SETTLE_MS (3000) quiet time after linking and after each run. Sizes other than the
 * defaults write `send-<date>-smoke.json` instead of `send-<date>.json`.
 *
 * Setup: pacing off (below) in the gateway and the one worker that holds every session (the fair
 * match for one bare Baileys process); the gateway's defaults otherwise, so a send is answered 201
 * once the worker has handed it to WhatsApp. Each throughput run starts after one message per
 * sender (Signal sessions open) and an ANALYZE of the run's fresh database.
 *
 * Clock: send and decrypt moments are `performance.timeOrigin + performance.now()` read in the
 * sending process (this one for REST, the bare holder for Baileys) and in the simulator (the
 * `receivedAtMs` of each sent record, stamped when the contact phone has decrypted it).
 */
import { loadavg } from 'node:os';
import type { AppProcess } from '../test/support/app-process';
import { BARE_PHONE_PREFIX, type BareBaileysProcess, benchText, type BareSent } from './support/bare-baileys-process';
import { log, machine, round, runBenchmark, writeResult } from './support/bench-report';
import { CpuMeter, decrypted, distribution, gatewayBurst, gatewaySend, now, PACING_OFF } from './support/send-measure';
import { sessionId, sleep, type SuiteUnderBench, withSuiteAndBare, WORKER_PHONE_PREFIX } from './support/suite-under-bench';

const setting = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const SIZES = {
  latencyN: setting('SEND_BENCH_LATENCY_N', 1000),
  warmup: setting('SEND_BENCH_WARMUP', 50),
  oneSessionN: setting('SEND_BENCH_ONE_SESSION_N', 2000),
  sessions: setting('SEND_BENCH_SESSIONS', 100),
  perSession: setting('SEND_BENCH_PER_SESSION', 50),
};
const CONCURRENCY = setting('SEND_BENCH_CONCURRENCY', 32);
const MULTI_CONCURRENCY = setting('SEND_BENCH_MULTI_CONCURRENCY', 200);
const LINK_CONCURRENCY = setting('SEND_BENCH_LINK_CONCURRENCY', 6);
const RECEIPTS = (process.env.SEND_BENCH_RECEIPTS ?? 'read') as 'read' | 'delivered' | 'none';
/** Quiet time after linking and between runs (post-link key uploads, the previous run's receipts). */
const SETTLE_MS = setting('SEND_BENCH_SETTLE_MS', 3_000);
const GOALS = { p50OverheadMs: 5, p99OverheadMs: 20, oneSessionRatio: 0.5, multiSessionRatio: 0.8 };
const DEFAULT_SIZES = { latencyN: 1000, warmup: 50, oneSessionN: 2000, sessions: 100, perSession: 50 };

/** The simulated contact every path sends to. */
const CONTACT = '6289100000000';
const CONTACT_JID = `${CONTACT}@s.whatsapp.net`;
/** The accounts of session bench-00000 and of bare companion 0 (see linkSessions / the holder). */
const GATEWAY_ACCOUNT = `${WORKER_PHONE_PREFIX}00000000`;
const BARE_ACCOUNT = `${BARE_PHONE_PREFIX}00000000`;
/** The simulator's message log keeps the last 10 000 records; a run must fit in it. */
const LOG_CAPACITY = 10_000;

interface Sample {
  decryptMs: number;
  answerMs: number;
}

/**
 * One send at a time, alternating the path first in each pair (so drifting background load hits
 * both alike): t0 right before the request / `sendMessage`, t1 the simulator's decrypt stamp.
 */
async function measureLatency(suite: SuiteUnderBench, bare: BareBaileysProcess) {
  const counts = { gateway: 0, bare: 0 };
  let queued = 0;
  const expectText = (text: string, got: string | undefined): void => {
    if (got !== text) throw new Error(`the simulator's latest record is "${got}", expected "${text}"`);
  };
  const gatewayOne = async (n: number): Promise<Sample> => {
    const text = benchText('sb-gw', 0, n);
    const t0 = now();
    const { sent } = await gatewaySend(suite, sessionId(0), CONTACT, text);
    const answered = now();
    if (!sent) queued += 1;
    const { last } = await decrypted(suite.sim, { account: GATEWAY_ACCOUNT }, ++counts.gateway);
    expectText(text, last?.text);
    return { decryptMs: last!.receivedAtMs - t0, answerMs: answered - t0 };
  };
  const bareOne = async (n: number): Promise<Sample> => {
    const text = benchText('sb-ba', 0, n);
    const sent = await bare.send(0, CONTACT_JID, text);
    const { last } = await decrypted(suite.sim, { account: BARE_ACCOUNT }, ++counts.bare);
    expectText(text, last?.text);
    return { decryptMs: last!.receivedAtMs - sent.startedAtMs, answerMs: sent.resolvedAtMs - sent.startedAtMs };
  };
  const samples = { gateway: [] as Sample[], bare: [] as Sample[] };
  for (let n = 0; n < SIZES.warmup + SIZES.latencyN; n += 1) {
    if (n === SIZES.warmup) await suite.analyze();
    const pair = n % 2 === 0 ? (['gateway', 'bare'] as const) : (['bare', 'gateway'] as const);
    for (const path of pair) {
      const sample = await (path === 'gateway' ? gatewayOne(n) : bareOne(n));
      if (n >= SIZES.warmup) samples[path].push(sample);
    }
    if ((n + 1) % 250 === 0) log(`latency: ${n + 1}/${SIZES.warmup + SIZES.latencyN} pairs`);
  }
  const of = (list: Sample[]) => ({ decryptMs: distribution(list.map((s) => s.decryptMs)), answerMs: distribution(list.map((s) => s.answerMs)) });
  const gateway = of(samples.gateway);
  const bareResult = of(samples.bare);
  const overheadMs = Object.fromEntries((['p50', 'p90', 'p99'] as const).map((p) => [p, round(gateway.decryptMs[p] - bareResult.decryptMs[p], 3)])) as Record<
    'p50' | 'p90' | 'p99',
    number
  >;
  return {
    sends: SIZES.latencyN,
    warmup: SIZES.warmup,
    gateway: { ...gateway, answeredQueued202: queued },
    bare: bareResult,
    overheadMs,
    loadAverage1m: round(loadavg()[0]),
  };
}

/** One path's burst: messages/s from the first submission to the simulator's last decrypt. */
async function burstRun(suite: SuiteUnderBench, pids: Record<string, number>, total: number, send: () => Promise<BareSent & { queued?: number }>) {
  await suite.analyze();
  await suite.sim.clearMessages();
  const cpu = new CpuMeter(pids);
  const sent = await send();
  const expected = total - sent.failures.length;
  const { last } = await decrypted(suite.sim, { to: CONTACT }, expected);
  const cpuSeconds = cpu.used();
  const records = await suite.sim.sentMessages({ to: CONTACT });
  const seconds = (last!.receivedAtMs - sent.startedAtMs) / 1000;
  await sleep(SETTLE_MS);
  return {
    messagesPerSecond: round(expected / seconds, 1),
    seconds: round(seconds, 3),
    submittedSeconds: round((sent.resolvedAtMs - sent.startedAtMs) / 1000, 3),
    decrypted: records.length,
    distinctDecrypted: new Set(records.map((record) => record.text)).size,
    failures: sent.failures.length,
    firstFailures: sent.failures.slice(0, 3),
    ...(sent.queued === undefined ? {} : { answeredQueued202: sent.queued }),
    cpuSeconds,
    loadAverage1m: round(loadavg()[0]),
  };
}

async function measureThroughput(
  suite: SuiteUnderBench,
  bare: BareBaileysProcess,
  worker: AppProcess,
  sessions: number,
  perSession: number,
  concurrency: number,
) {
  const total = sessions * perSession;
  const sessionIds = Array.from({ length: sessions }, (_, index) => sessionId(index));
  const pids = { worker: worker.pid, gateway: suite.gatewayPid, simulator: suite.simulator?.pid ?? -1, bare: bare.pid };
  // Steady state: every sender has its Signal session with the contact before the clock runs (the first message is a pkmsg).
  await suite.sim.clearMessages();
  await gatewayBurst(suite, { sessionIds, perSession: 1, concurrency, to: CONTACT, prefix: 'sb-warm' });
  await bare.burst({ companions: sessions, perCompanion: 1, concurrency, to: CONTACT_JID, prefix: 'sb-warm' });
  await decrypted(suite.sim, { to: CONTACT }, 2 * sessions);
  await sleep(SETTLE_MS);
  const gateway = await burstRun(suite, pids, total, () => gatewayBurst(suite, { sessionIds, perSession, concurrency, to: CONTACT, prefix: 'sb-gw' }));
  log(`${sessions} session(s) × ${perSession}: gateway ${gateway.messagesPerSecond} msg/s (${gateway.seconds} s)`);
  const bareResult = await burstRun(suite, pids, total, () =>
    bare.burst({ companions: sessions, perCompanion: perSession, concurrency, to: CONTACT_JID, prefix: 'sb-ba' }),
  );
  log(`${sessions} session(s) × ${perSession}: bare ${bareResult.messagesPerSecond} msg/s (${bareResult.seconds} s)`);
  return {
    sessions,
    perSession,
    messages: total,
    inFlight: concurrency,
    gateway,
    bare: bareResult,
    ratio: round(gateway.messagesPerSecond / bareResult.messagesPerSecond, 3),
  };
}

async function link(suite: SuiteUnderBench, bare: BareBaileysProcess, from: number, to: number): Promise<void> {
  const started = Date.now();
  const failures = await suite.linkSessions(from, to, LINK_CONCURRENCY);
  if (failures.length) throw new Error(`sessions did not link: ${JSON.stringify(failures.slice(0, 3))}`);
  const bareLink = await bare.link(to, LINK_CONCURRENCY);
  log(`${to} linked: worker in ${round((Date.now() - started) / 1000, 1)} s (total), bare in ${round(bareLink.seconds, 1)} s; settling`);
  await sleep(SETTLE_MS);
}

function checkSizes(): void {
  const runs = { latency: 2 * (SIZES.warmup + SIZES.latencyN), oneSession: SIZES.oneSessionN, sessions: SIZES.sessions * SIZES.perSession };
  for (const [name, records] of Object.entries(runs)) {
    if (!(records > 0 && records <= LOG_CAPACITY)) throw new Error(`the ${name} run would log ${records} records; the simulator keeps ${LOG_CAPACITY}`);
  }
  if (!(SIZES.sessions >= 1)) throw new Error('SEND_BENCH_SESSIONS must be at least 1');
}

async function main(): Promise<void> {
  checkSizes();
  const started = Date.now();
  const host = machine();
  await withSuiteAndBare(PACING_OFF, async (suite, bare, worker) => {
    await suite.sim.createContact(CONTACT, 'Bench contact');
    await suite.sim.setReceiptMode(CONTACT, RECEIPTS);
    await link(suite, bare, 0, 1);

    const latency = await measureLatency(suite, bare);
    log(
      `latency p50/p99: gateway ${latency.gateway.decryptMs.p50}/${latency.gateway.decryptMs.p99} ms, bare ${latency.bare.decryptMs.p50}/${latency.bare.decryptMs.p99} ms`,
    );
    await sleep(SETTLE_MS);
    const oneSession = await measureThroughput(suite, bare, worker, 1, SIZES.oneSessionN, CONCURRENCY);
    if (SIZES.sessions > 1) await link(suite, bare, 1, SIZES.sessions);
    const manySessions = await measureThroughput(suite, bare, worker, SIZES.sessions, SIZES.perSession, MULTI_CONCURRENCY);

    const goals = {
      p50OverheadMs: { goal: `≤ ${GOALS.p50OverheadMs} ms`, measured: latency.overheadMs.p50, met: latency.overheadMs.p50 <= GOALS.p50OverheadMs },
      p99OverheadMs: { goal: `≤ ${GOALS.p99OverheadMs} ms`, measured: latency.overheadMs.p99, met: latency.overheadMs.p99 <= GOALS.p99OverheadMs },
      oneSessionRatio: { goal: `≥ ${GOALS.oneSessionRatio}× bare`, measured: oneSession.ratio, met: oneSession.ratio >= GOALS.oneSessionRatio },
      manySessionsRatio: { goal: `≥ ${GOALS.multiSessionRatio}× bare`, measured: manySessions.ratio, met: manySessions.ratio >= GOALS.multiSessionRatio },
    };
    const smoke = Object.entries(DEFAULT_SIZES).some(([name, value]) => SIZES[name as keyof typeof SIZES] !== value);
    const result = {
      date: new Date().toISOString(),
      command: 'npm run bench:send',
      smoke,
      machine: host,
      settings: {
        ...SIZES,
        inFlightOneSession: CONCURRENCY,
        inFlightManySessions: MULTI_CONCURRENCY,
        contactReceipts: RECEIPTS,
        workers: 1,
        pacing: PACING_OFF,
        gatewaySettings: 'defaults (SEND_RESPONSE_WAIT_MS 15000: a send is answered 201 once handed to WhatsApp), API_RATE_LIMIT 1000000',
        restClient: 'node fetch (undici, keep-alive) in the bench process; bare Baileys in a forked process of its own',
      },
      latency,
      throughput: { oneSession, manySessions },
      goals,
      runSeconds: round((Date.now() - started) / 1000, 1),
    };
    writeResult(`send-${result.date.slice(0, 10)}${smoke ? '-smoke' : ''}`, result);
  });
}

runBenchmark(main);
