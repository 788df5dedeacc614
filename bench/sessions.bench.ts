/**
 * Sessions benchmark (issues 5 and 9): one session worker holding many linked idle sessions next
 * to bare Baileys holding as many companions on the same simulator, in the same run —
 *   - RSS per session at each step, as read READ_AFTER_MS after the last link and after a forced GC;
 *   - idle CPU of both over a quiet window at each step;
 *   - sends to SEND_SESSIONS of them (pacing off) against bare Baileys' companions;
 *   - restore of RESTORE sessions after a worker restart against bare Baileys reopening as many;
 *   - failover of FAILOVER sessions after kill -9 of their worker.
 * Results, goals and the reading are in docs/BENCHMARKS.md ("Sessions").
 *
 *   npm run bench:sessions                 # 500,1000,2000; sends 100 × 30; restore 1000; failover 100
 *   SESSIONS_BENCH_STEPS=20,40 SESSIONS_BENCH_SEND_SESSIONS=10 SESSIONS_BENCH_RESTORE=20 \
 *     SESSIONS_BENCH_FAILOVER=10 SESSIONS_BENCH_READ_AFTER_MS=20000 SESSIONS_BENCH_IDLE_WINDOW_MS=20000 \
 *     npm run bench:sessions                                                            # smoke run
 *
 * Knobs (SESSIONS_BENCH_…): STEPS; LINK_CONCURRENCY (6) links at a time on each path, each tried
 * LINK_ATTEMPTS (3) times; READ_AFTER_MS (60000) from the last link to the "as read" RSS;
 * IDLE_WINDOW_MS (60000) of quiet for the idle CPU; SEND_SESSIONS (100) × SEND_PER_SESSION (30)
 * with SEND_IN_FLIGHT (200) requests / sendMessage calls in flight; RESTORE (1000); FAILOVER (100);
 * WORKER_CAPACITY (the largest step). The 0-session baseline is read READ_AFTER_MS after start
 * too (start-up is a burst of its own), as read and after GC. Other sizes than the defaults
 * write `sessions-<date>-smoke.json` instead of `sessions-<date>.json`.
 *
 * Setup: the gateway and every worker with pacing off and WORKER_CAPACITY raised, all other worker
 * settings at their defaults (MEMORY_SETTLE_INTERVAL_MS among them: "as read" is what it leaves);
 * the report lists them as the worker resolves them. Bare Baileys: bare-baileys-holder.ts.
 *
 * Long runs: progress lines every 5 % of each link run, with the rate and the time left. A link
 * that fails is removed and tried again; one that never links is listed and left out of the
 * per-session figures. A failed sends, restore or failover phase is reported in its place (its
 * goal not met) and the run goes on. Linking is not resumable across runs: bare Baileys keeps its
 * creds in memory, so a new run links both paths again.
 */
import { loadavg } from 'node:os';
import type { AppProcess } from '../test/support/app-process';
import { BARE_PHONE_PREFIX, type BareBaileysProcess } from './support/bare-baileys-process';
import { log, machine, round, runBenchmark, writeResult } from './support/bench-report';
import { sample } from './support/process-sample';
import { burstThroughput, CpuMeter, decrypted, gatewayBurst, PACING_OFF } from './support/send-measure';
import { pollUntil, sessionId, sleep, type SuiteUnderBench, withSuiteAndBare, WORKER_PHONE_PREFIX } from './support/suite-under-bench';

const setting = (name: string, fallback: number): number => Number(process.env[`SESSIONS_BENCH_${name}`] ?? fallback);
const DEFAULT_SIZES = { steps: '500,1000,2000', sendSessions: 100, sendPerSession: 30, restore: 1000, failover: 100 };
const STEPS = (process.env.SESSIONS_BENCH_STEPS ?? DEFAULT_SIZES.steps).split(',').map(Number);
const SIZES = {
  sendSessions: setting('SEND_SESSIONS', DEFAULT_SIZES.sendSessions),
  sendPerSession: setting('SEND_PER_SESSION', DEFAULT_SIZES.sendPerSession),
  restore: setting('RESTORE', DEFAULT_SIZES.restore),
  failover: setting('FAILOVER', DEFAULT_SIZES.failover),
};
const LINK = { concurrency: setting('LINK_CONCURRENCY', 6), attempts: setting('LINK_ATTEMPTS', 3) };
const READ_AFTER_MS = setting('READ_AFTER_MS', 60_000);
const IDLE_WINDOW_MS = setting('IDLE_WINDOW_MS', 60_000);
const SEND_IN_FLIGHT = setting('SEND_IN_FLIGHT', 200);
const WORKER_CAPACITY = setting('WORKER_CAPACITY', Math.max(...STEPS));
const GOALS = { mibPerSession: 1.5, memoryRatio: 1.4, idleCpuPercent: 10, sendRatio: 0.5, restoreRatio: 1.5, failoverSeconds: 10 };

/** The simulated contact both paths send to (outside the worker's and bare Baileys' account prefixes). */
const CONTACT = '6289100000000';

const seconds = (since: number): number => round((Date.now() - since) / 1000, 1);
const rss = (pid: number): number => round(sample(pid).rssMiB, 1);

/** RSS of one process as read (wherever its GC cycle is), then right after a forced full GC. */
interface Reading {
  rssMiB: number;
  rssAfterGcMiB: number;
}

/** RSS of `pid` read at the moment `atMs` (epoch ms), whatever the benchmark does meanwhile. */
async function rssAt(pid: number, atMs: number): Promise<number> {
  await sleep(Math.max(0, atMs - Date.now()));
  return rss(pid);
}

/** Forces a full GC in both processes, then reads them (V8 returns freed pages at once; 3 s is ample). */
async function rssAfterGc(suite: SuiteUnderBench, worker: AppProcess, bare: BareBaileysProcess): Promise<{ worker: number; bare: number }> {
  await Promise.all([suite.collectGarbage(worker), bare.collectGarbage()]);
  await sleep(3_000);
  return { worker: rss(worker.pid), bare: rss(bare.pid) };
}

/**
 * The inspector's forced collection runs several full GCs back to back: with thousands of sessions
 * that stalls the worker past its lease TTL, and it lets its sessions go and claims them again (no
 * worker does that on its own: V8 collects incrementally, and MemorySettler runs one GC). Waits
 * until every linked session is connected again, so the next phases start from a settled worker,
 * and reports how long that took and how many sessions the stall cost.
 */
async function settleAfterForcedGc(suite: SuiteUnderBench, target: number, linked: number) {
  const started = Date.now();
  // Leases that ran out during the stall are noticed at the next renewal (a third of the TTL).
  await sleep(5_000);
  let fewestConnected = linked;
  await pollUntil(
    async () => {
      const connected = await suite.connectedAmongFirst(target);
      fewestConnected = Math.min(fewestConnected, connected);
      return connected >= linked ? true : undefined;
    },
    15 * 60_000,
    `all ${linked} sessions connected again after the forced GC`,
    1_000,
  );
  const settled = { seconds: seconds(started), sessionsDropped: linked - fewestConnected };
  log(`after the forced GC: ${settled.sessionsDropped} sessions dropped and connected again; settled in ${settled.seconds} s`);
  return settled;
}

/** MiB per session above the 0-session baseline, as read and after GC. */
function perSession(reading: Reading, baseline: Reading, sessions: number) {
  return {
    ...reading,
    mibPerSession: round((reading.rssMiB - baseline.rssMiB) / sessions, 3),
    mibPerSessionAfterGc: round((reading.rssAfterGcMiB - baseline.rssAfterGcMiB) / sessions, 3),
  };
}

/** CPU of the suite's processes over IDLE_WINDOW_MS in which the benchmark does nothing: seconds and % of one core. */
async function idleCpu(pids: Record<string, number>) {
  const meter = new CpuMeter(pids);
  const started = Date.now();
  await sleep(IDLE_WINDOW_MS);
  const windowSeconds = (Date.now() - started) / 1000;
  const { bench: _bench, ...cpuSeconds } = meter.used();
  const percentOfOneCore = Object.fromEntries(Object.entries(cpuSeconds).map(([name, used]) => [name, round((100 * used) / windowSeconds, 2)]));
  return { windowSeconds: round(windowSeconds, 1), cpuSeconds, percentOfOneCore };
}

/** Progress lines of one path's link run: every 5 % (at least every 10 links), with the rate and the time left. */
function progressLogger(path: string, total: number) {
  const started = Date.now();
  const every = Math.max(10, Math.round(total / 20));
  const onProgress = ({ done, retries, failed }: { done: number; retries: number; failed: number }): void => {
    if (done % every !== 0 && done !== total) return;
    const rate = done / Math.max(0.001, (Date.now() - started) / 1000);
    log(`${path}: ${done}/${total} linked this step (${retries} retried, ${failed} failed), ${round(rate, 2)}/s, ~${Math.round((total - done) / rate)} s left`);
  };
  return { every, onProgress };
}

/**
 * One step: the worker links up to `target` through the gateway, then bare Baileys as many; each
 * process is read READ_AFTER_MS after its own last link (the worker meanwhile holds its sessions
 * idle while bare Baileys links); then both idle for IDLE_WINDOW_MS; then a forced GC.
 */
async function linkStep(
  suite: SuiteUnderBench,
  bare: BareBaileysProcess,
  worker: AppProcess,
  from: number,
  target: number,
  baseline: { worker: Reading; bare: Reading },
) {
  const started = Date.now();
  const workerProgress = progressLogger('worker', target - from);
  const workerLink = await suite.linkSessionsRetrying(from, target, {
    ...LINK,
    onProgress: workerProgress.onProgress,
    onRetry: (id, attempt, error) => log(`worker: ${id} failed attempt ${attempt}, trying again: ${error.message.slice(0, 300)}`),
  });
  const workerLinkSeconds = seconds(started);
  for (const failure of workerLink.failures) log(`link failed: ${JSON.stringify(failure)}`);
  const workerRead = rssAt(worker.pid, Date.now() + READ_AFTER_MS);
  const bareProgress = progressLogger('bare', target - from);
  const bareLink = await bare.link(target, { ...LINK, progressEvery: bareProgress.every }, (p) =>
    bareProgress.onProgress({ done: p.count - from, retries: p.retries, failed: 0 }),
  );
  const bareRead = rssAt(bare.pid, Date.now() + READ_AFTER_MS);
  log(
    `${target} linked: worker in ${workerLinkSeconds} s (${workerLink.retries} retried, ${workerLink.failures.length} failed), bare in ${round(bareLink.seconds, 1)} s; reading ${READ_AFTER_MS / 1000} s after each one's last link`,
  );
  const asRead = { worker: await workerRead, bare: await bareRead };
  const liveOnSimulator = { worker: (await suite.connectionsOf(WORKER_PHONE_PREFIX)).live, bare: (await suite.connectionsOf(BARE_PHONE_PREFIX)).live };
  log(`${target}: as read, worker ${asRead.worker} MiB, bare ${asRead.bare} MiB; idle window of ${IDLE_WINDOW_MS / 1000} s`);
  const idle = await idleCpu({ worker: worker.pid, bare: bare.pid, gateway: suite.gatewayPid, simulator: suite.simulator?.pid ?? -1 });
  const linked = { worker: await suite.connectedAmongFirst(target), bare: bareLink.count };
  const afterGc = await rssAfterGc(suite, worker, bare);
  const settledAfterGc = await settleAfterForcedGc(suite, target, linked.worker);
  const step = {
    sessions: target,
    worker: {
      linked: linked.worker,
      linkSeconds: workerLinkSeconds,
      linkRetries: workerLink.retries,
      ...perSession({ rssMiB: asRead.worker, rssAfterGcMiB: afterGc.worker }, baseline.worker, linked.worker),
      idleCpuPercent: idle.percentOfOneCore.worker,
    },
    bare: {
      linked: linked.bare,
      linkSeconds: round(bareLink.seconds, 1),
      linkRetries: bareLink.retries ?? 0,
      ...perSession({ rssMiB: asRead.bare, rssAfterGcMiB: afterGc.bare }, baseline.bare, linked.bare),
      idleCpuPercent: idle.percentOfOneCore.bare,
    },
  };
  log(`${target}: worker ${JSON.stringify(step.worker)}, bare ${JSON.stringify(step.bare)}`);
  return {
    ...step,
    settledAfterGc,
    idle,
    loadAverage1m: round(loadavg()[0]),
    liveOnSimulator,
    linkFailures: workerLink.failures,
    ratio: round(step.worker.mibPerSession / step.bare.mibPerSession),
    ratioAfterGc: round(step.worker.mibPerSessionAfterGc / step.bare.mibPerSessionAfterGc),
  };
}

async function measureMemory(suite: SuiteUnderBench, bare: BareBaileysProcess, worker: AppProcess) {
  await sleep(READ_AFTER_MS);
  const asRead = { worker: rss(worker.pid), bare: rss(bare.pid) };
  const afterGc = await rssAfterGc(suite, worker, bare);
  const baseline = { worker: { rssMiB: asRead.worker, rssAfterGcMiB: afterGc.worker }, bare: { rssMiB: asRead.bare, rssAfterGcMiB: afterGc.bare } };
  log(`0 sessions: worker ${JSON.stringify(baseline.worker)}, bare ${JSON.stringify(baseline.bare)}`);
  const steps = [];
  let linked = 0;
  for (const target of STEPS) {
    steps.push(await linkStep(suite, bare, worker, linked, target, baseline));
    linked = target;
  }
  return { baseline, steps };
}

/**
 * The first SEND_SESSIONS of the held sessions send SEND_PER_SESSION texts each to one contact
 * (pacing off, SEND_IN_FLIGHT in flight), through the gateway, then bare Baileys' first companions
 * as many: messages/s from the first submission to the last decrypt; the others stay idle.
 */
async function measureSends(suite: SuiteUnderBench, bare: BareBaileysProcess, worker: AppProcess) {
  const { sendSessions: sessions, sendPerSession: perSession } = SIZES;
  const total = sessions * perSession;
  const sessionIds = Array.from({ length: sessions }, (_, index) => sessionId(index));
  const contactJid = `${CONTACT}@s.whatsapp.net`;
  await suite.sim.createContact(CONTACT, 'Bench contact');
  await suite.sim.setReceiptMode(CONTACT, 'read');
  // Steady state: every sender has its Signal session with the contact before the clock runs (the first message is a pkmsg).
  await suite.sim.clearMessages();
  const warm = await gatewayBurst(suite, { sessionIds, perSession: 1, concurrency: SEND_IN_FLIGHT, to: CONTACT, prefix: 'ss-warm' });
  await bare.burst({ companions: sessions, perCompanion: 1, concurrency: SEND_IN_FLIGHT, to: contactJid, prefix: 'ss-warm' });
  await decrypted(suite.sim, { to: CONTACT }, 2 * sessions - warm.failures.length);
  await sleep(3_000);
  const pids = { worker: worker.pid, gateway: suite.gatewayPid, simulator: suite.simulator?.pid ?? -1, bare: bare.pid };
  const options = { pids, contact: CONTACT, total, settleMs: 3_000 };
  const gateway = await burstThroughput(suite, options, () =>
    gatewayBurst(suite, { sessionIds, perSession, concurrency: SEND_IN_FLIGHT, to: CONTACT, prefix: 'ss-gw' }),
  );
  log(`sends, ${sessions} × ${perSession}: gateway ${gateway.messagesPerSecond} msg/s (${gateway.seconds} s, ${gateway.failures} failed)`);
  const bareResult = await burstThroughput(suite, options, () =>
    bare.burst({ companions: sessions, perCompanion: perSession, concurrency: SEND_IN_FLIGHT, to: contactJid, prefix: 'ss-ba' }),
  );
  log(`sends, ${sessions} × ${perSession}: bare ${bareResult.messagesPerSecond} msg/s (${bareResult.seconds} s)`);
  return {
    sessions,
    perSession,
    messages: total,
    inFlight: SEND_IN_FLIGHT,
    contactReceipts: 'read',
    warmupFailures: warm.failures.length,
    gateway,
    bare: bareResult,
    ratio: round(gateway.messagesPerSecond / bareResult.messagesPerSecond, 3),
    loadAverage1m: round(loadavg()[0]),
  };
}

/**
 * Bare Baileys first closes every socket and reopens RESTORE of them (the worker holds its sessions
 * idle meanwhile); then the worker is restarted with only the first RESTORE sessions wanting a
 * connection (bare idle): process start to the last `connected`. Both are read like a step.
 */
async function measureRestore(suite: SuiteUnderBench, bare: BareBaileysProcess, baseline: { worker: Reading; bare: Reading }) {
  const sessions = await suite.connectedAmongFirst(SIZES.restore);
  if (sessions === 0) throw new Error('no connected session to restore');
  const bareRestore = await bare.restore(SIZES.restore);
  const bareRead = rssAt(bare.pid, Date.now() + READ_AFTER_MS);
  log(`bare restored ${bareRestore.count} in ${round(bareRestore.seconds, 1)} s (${bareRestore.retries} sockets reopened after closing first)`);
  const stopping = Date.now();
  const { WORKER_DRAIN_GRACE_MS, LEASE_TTL_MS } = suite.workerSettings() as Record<string, number>;
  await suite.stopWorker('bench-w1', 'SIGTERM', WORKER_DRAIN_GRACE_MS + 10_000);
  log(`bench-w1 stopped in ${seconds(stopping)} s`);
  await pollUntil(async () => ((await suite.connectionsOf(WORKER_PHONE_PREFIX)).live === 0 ? true : undefined), 120_000, 'old connections closed');
  // Should it have been killed holding leases, they lapse before the clock runs.
  await sleep(LEASE_TTL_MS);
  await suite.keepOnlyFirst(SIZES.restore);
  const since = new Date();
  const worker = await suite.startWorker('bench-w2');
  const bootSeconds = seconds(since.getTime());
  const timeoutMs = Math.max(180_000, sessions * 600);
  await pollUntil(async () => ((await suite.connectedOn('bench-w2', since)) >= sessions ? true : undefined), timeoutMs, `${sessions} restored`);
  const restoreSeconds = seconds(since.getTime());
  log(`worker restored ${sessions} in ${restoreSeconds} s (process start to the last connected; boot ${bootSeconds} s)`);
  const onSim = await suite.connectionsOf(WORKER_PHONE_PREFIX);
  const asRead = { worker: await rssAt(worker.pid, Date.now() + READ_AFTER_MS), bare: await bareRead };
  const afterGc = await rssAfterGc(suite, worker, bare);
  // bench-w2 is a fresh process (no link-time residue); its 0-session baseline is bench-w1's (same build and settings).
  return {
    sessions,
    bare: {
      seconds: round(bareRestore.seconds, 1),
      retries: bareRestore.retries,
      ...perSession({ rssMiB: asRead.bare, rssAfterGcMiB: afterGc.bare }, baseline.bare, bareRestore.count),
    },
    worker: {
      seconds: restoreSeconds,
      bootSeconds,
      liveOnSimulator: onSim.live,
      ...perSession({ rssMiB: asRead.worker, rssAfterGcMiB: afterGc.worker }, baseline.worker, sessions),
    },
    ratio: round(restoreSeconds / bareRestore.seconds),
    loadAverage1m: round(loadavg()[0]),
  };
}

/** Two workers, the first FAILOVER sessions on one; kill -9 it; time until every one is connected on the other. */
async function measureFailover(suite: SuiteUnderBench) {
  const sessions = await suite.connectedAmongFirst(SIZES.failover);
  if (sessions === 0) throw new Error('no connected session to fail over');
  // bench-w2 after the restore phase; bench-w1 still, should that phase have failed.
  const { WORKER_DRAIN_GRACE_MS } = suite.workerSettings() as Record<string, number>;
  await suite.stopAllWorkers('SIGTERM', WORKER_DRAIN_GRACE_MS + 10_000);
  await suite.keepOnlyFirst(SIZES.failover);
  const since = new Date();
  await suite.startWorker('bench-w3');
  await pollUntil(async () => ((await suite.connectedOn('bench-w3', since)) >= sessions ? true : undefined), 120_000, 'failover set on bench-w3');
  await suite.startWorker('bench-w4');
  await pollUntil(async () => ((await suite.liveWorkers()).length === 2 ? true : undefined), 30_000, 'both workers registered', 250);
  await suite.sim.resetMaxConnections();
  const killedAt = new Date();
  await suite.stopWorker('bench-w3', 'SIGKILL');
  let firstSeconds: number | undefined;
  await pollUntil(
    async () => {
      const connected = await suite.connectedOn('bench-w4', killedAt);
      if (connected > 0) firstSeconds ??= seconds(killedAt.getTime());
      return connected >= sessions ? true : undefined;
    },
    60_000,
    `${sessions} sessions on bench-w4`,
  );
  const failoverSeconds = seconds(killedAt.getTime());
  const onSim = await suite.connectionsOf(WORKER_PHONE_PREFIX);
  log(`failover of ${sessions}: first connected after ${firstSeconds} s, all after ${failoverSeconds} s; max per account ${onSim.maxPerAccount}`);
  return {
    sessions,
    seconds: failoverSeconds,
    firstSeconds,
    liveOnSimulator: onSim.live,
    maxConnectionsPerAccount: onSim.maxPerAccount,
    loadAverage1m: round(loadavg()[0]),
  };
}

function checkSizes(): void {
  const largest = STEPS.at(-1)!;
  if (!STEPS.every((step, i) => Number.isInteger(step) && step > (STEPS[i - 1] ?? 0))) throw new Error(`SESSIONS_BENCH_STEPS must rise: ${STEPS.join(',')}`);
  if (!(SIZES.sendSessions >= 1 && SIZES.sendSessions <= largest)) throw new Error(`SESSIONS_BENCH_SEND_SESSIONS must be 1…${largest}`);
  if (!(SIZES.sendSessions * SIZES.sendPerSession <= 10_000)) throw new Error("the sends would not fit in the simulator's message log (10 000)");
  if (!(SIZES.restore >= 1 && SIZES.restore <= largest)) throw new Error(`SESSIONS_BENCH_RESTORE must be 1…${largest}`);
  if (!(SIZES.failover >= 1 && SIZES.failover <= SIZES.restore)) throw new Error(`SESSIONS_BENCH_FAILOVER must be 1…${SIZES.restore}`);
  if (!(WORKER_CAPACITY >= largest)) throw new Error(`SESSIONS_BENCH_WORKER_CAPACITY must be at least ${largest}`);
}

type Failed = { error: string };

/**
 * Runs a phase after the memory steps; a failure is logged and reported in its place, and the run
 * goes on (the long linking before it keeps its figures).
 */
async function phase<T extends object>(suite: SuiteUnderBench, name: string, measure: () => Promise<T>): Promise<T | Failed> {
  try {
    return await measure();
  } catch (error) {
    log(`${name} failed: ${(error as Error).message}; app output (warn and above): ${suite.saveOutputs().join(' ')}`);
    return { error: (error as Error).stack ?? String(error) };
  }
}

/** `measured` is null when the phase behind it failed (the goal is then not met). */
type Goal = { goal: string; measured: number | null; met: boolean };
const atMost = (limit: number, unit: string, measured: number | null): Goal => ({
  goal: `≤ ${limit}${unit}`,
  measured,
  met: measured !== null && measured <= limit,
});
const atLeast = (limit: number, unit: string, measured: number | null): Goal => ({
  goal: `≥ ${limit}${unit}`,
  measured,
  met: measured !== null && measured >= limit,
});
const figure = <T extends object>(result: T | Failed, pick: (value: T) => number): number | null => ('error' in result ? null : pick(result));

async function main(): Promise<void> {
  checkSizes();
  const started = Date.now();
  const host = machine();
  await withSuiteAndBare({ ...PACING_OFF, WORKER_CAPACITY: String(WORKER_CAPACITY) }, async (suite, bare, worker) => {
    const workerSettings = suite.workerSettings();
    const memory = await measureMemory(suite, bare, worker);
    const sends = await phase(suite, 'sends', () => measureSends(suite, bare, worker));
    const restore = await phase(suite, 'restore', () => measureRestore(suite, bare, memory.baseline));
    await bare.stop();
    const failover = await phase(suite, 'failover', () => measureFailover(suite));
    const last = memory.steps.at(-1)!;
    const goals = {
      mibPerSession: atMost(GOALS.mibPerSession, ' MiB', last.worker.mibPerSession),
      mibPerSessionAfterGc: atMost(GOALS.mibPerSession, ' MiB', last.worker.mibPerSessionAfterGc),
      memoryRatio: atMost(GOALS.memoryRatio, '× bare', last.ratio),
      memoryRatioAfterGc: atMost(GOALS.memoryRatio, '× bare', last.ratioAfterGc),
      idleCpuPercent: atMost(GOALS.idleCpuPercent, ' % of one core', last.worker.idleCpuPercent),
      sendRatio: atLeast(
        GOALS.sendRatio,
        '× bare',
        figure(sends, (value) => value.ratio),
      ),
      restoreRatio: atMost(
        GOALS.restoreRatio,
        '× bare',
        figure(restore, (value) => value.ratio),
      ),
      failoverSeconds: atMost(
        GOALS.failoverSeconds,
        ' s',
        figure(failover, (value) => value.seconds),
      ),
    };
    const smoke = STEPS.join(',') !== DEFAULT_SIZES.steps || Object.entries(SIZES).some(([name, value]) => DEFAULT_SIZES[name as keyof typeof SIZES] !== value);
    const result = {
      date: new Date().toISOString(),
      command: 'npm run bench:sessions',
      smoke,
      machine: host,
      settings: {
        steps: STEPS,
        ...SIZES,
        sendInFlight: SEND_IN_FLIGHT,
        link: LINK,
        readAfterLastLinkMs: READ_AFTER_MS,
        idleWindowMs: IDLE_WINDOW_MS,
        pacing: PACING_OFF,
        workerSettings,
      },
      memory,
      sends,
      restore,
      failover,
      goals,
      runSeconds: seconds(started),
    };
    writeResult(`sessions-${result.date.slice(0, 10)}${smoke ? '-smoke' : ''}`, result);
  });
}

runBenchmark(main);
