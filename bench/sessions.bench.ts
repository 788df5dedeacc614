/**
 * Sessions benchmark (issue 5): RSS per linked idle session in one session worker at 100, 250
 * and 500 sessions next to bare Baileys holding as many on the same simulator; failover time of
 * 100 sessions after kill -9; restore time of 500 sessions after a restart next to bare Baileys.
 * Results, goals and the reading are in docs/BENCHMARKS.md ("Sessions: memory, failover, restore").
 *
 *   npm run bench:sessions                                          # 100,250,500; failover 100
 *   SESSIONS_BENCH_STEPS=10,20 SESSIONS_BENCH_FAILOVER=10 npm run bench:sessions   # smoke run
 */
import { loadavg } from 'node:os';
import type { AppProcess } from '../test/support/app-process';
import { BARE_PHONE_PREFIX, BareBaileysProcess } from './support/bare-baileys-process';
import { log, machine, round, runBenchmark, writeResult } from './support/bench-report';
import { sample } from './support/process-sample';
import { pollUntil, sleep, SuiteUnderBench, withSuiteAndBare, WORKER_PHONE_PREFIX } from './support/suite-under-bench';

const STEPS = (process.env.SESSIONS_BENCH_STEPS ?? '100,250,500').split(',').map(Number);
const FAILOVER_SESSIONS = Number(process.env.SESSIONS_BENCH_FAILOVER ?? 100);
const SETTLE_MS = Number(process.env.SESSIONS_BENCH_SETTLE_MS ?? 15_000);
const LINK_CONCURRENCY = Number(process.env.SESSIONS_BENCH_LINK_CONCURRENCY ?? 6);
const GOALS = { mibPerSession: 1.5, memoryRatio: 1.4, failoverSeconds: 10, restoreRatio: 1.5 };

const seconds = (since: number): number => round((Date.now() - since) / 1000, 1);
const rss = (pid: number): number => round(sample(pid).rssMiB, 1);

/** RSS of one process as read (wherever its GC cycle is), then right after a forced full GC. */
interface Reading {
  rssMiB: number;
  rssAfterGcMiB: number;
}

/** Reads both processes, then forces a full GC in both and reads again (V8 returns freed pages at once; 3 s is ample). */
async function readBoth(suite: SuiteUnderBench, worker: AppProcess, bare: BareBaileysProcess): Promise<{ worker: Reading; bare: Reading }> {
  const raw = { worker: rss(worker.pid), bare: rss(bare.pid) };
  await Promise.all([suite.collectGarbage(worker), bare.collectGarbage()]);
  await sleep(3_000);
  return { worker: { rssMiB: raw.worker, rssAfterGcMiB: rss(worker.pid) }, bare: { rssMiB: raw.bare, rssAfterGcMiB: rss(bare.pid) } };
}

/** MiB per session above the 0-session baseline, as read and after GC. */
function perSession(reading: Reading, baseline: Reading, sessions: number) {
  return {
    ...reading,
    mibPerSession: round((reading.rssMiB - baseline.rssMiB) / sessions, 3),
    mibPerSessionAfterGc: round((reading.rssAfterGcMiB - baseline.rssAfterGcMiB) / sessions, 3),
  };
}

async function measureMemory(suite: SuiteUnderBench, bare: BareBaileysProcess, worker: AppProcess) {
  await sleep(SETTLE_MS);
  const baseline = await readBoth(suite, worker, bare);
  log(`0 sessions: worker ${JSON.stringify(baseline.worker)}, bare ${JSON.stringify(baseline.bare)}`);
  const steps = [];
  let linked = 0;
  for (const target of STEPS) {
    const started = Date.now();
    const linkFailures = await suite.linkSessions(linked, target, LINK_CONCURRENCY);
    const workerLinkSeconds = seconds(started);
    const bareLink = await bare.link(target, LINK_CONCURRENCY);
    linked = target;
    log(`${target} linked: worker in ${workerLinkSeconds} s (${linkFailures.length} failed), bare in ${bareLink.seconds} s; settling`);
    for (const failure of linkFailures) log(`link failed: ${JSON.stringify(failure)}`);
    await sleep(SETTLE_MS);
    const liveOnSimulator = { worker: (await suite.connectionsOf(WORKER_PHONE_PREFIX)).live, bare: (await suite.connectionsOf(BARE_PHONE_PREFIX)).live };
    const reading = await readBoth(suite, worker, bare);
    const step = {
      sessions: target,
      worker: { linkSeconds: workerLinkSeconds, ...perSession(reading.worker, baseline.worker, target) },
      bare: { linkSeconds: round(bareLink.seconds, 1), ...perSession(reading.bare, baseline.bare, target) },
    };
    steps.push({
      ...step,
      loadAverage1m: round(loadavg()[0]!),
      liveOnSimulator,
      linkFailures,
      ratio: round(step.worker.mibPerSession / step.bare.mibPerSession),
      ratioAfterGc: round(step.worker.mibPerSessionAfterGc / step.bare.mibPerSessionAfterGc),
    });
    log(`${target}: worker ${JSON.stringify(step.worker)}, bare ${JSON.stringify(step.bare)}`);
  }
  return { baseline, steps };
}

/** Bare first (the worker holds its sessions idle meanwhile), then the worker (bare idle): same load each way. */
async function measureRestore(suite: SuiteUnderBench, bare: BareBaileysProcess, baseline: { worker: Reading; bare: Reading }) {
  const sessions = await suite.linkedSessions();
  const bareRestore = await bare.restore();
  log(`bare restored ${bareRestore.count} in ${bareRestore.seconds} s (${bareRestore.retries} sockets reopened after closing first)`);
  await suite.stopWorker('bench-w1', 'SIGTERM');
  await pollUntil(async () => ((await suite.connectionsOf(WORKER_PHONE_PREFIX)).live === 0 ? true : undefined), 30_000, 'old connections closed');
  const since = new Date();
  const worker = await suite.startWorker('bench-w2');
  const bootSeconds = seconds(since.getTime());
  await pollUntil(async () => ((await suite.connectedOn('bench-w2', since)) >= sessions ? true : undefined), 180_000, `${sessions} restored`);
  const restoreSeconds = seconds(since.getTime());
  log(`worker restored ${sessions} in ${restoreSeconds} s (process start to the last connected; boot ${bootSeconds} s)`);
  const onSim = await suite.connectionsOf(WORKER_PHONE_PREFIX);
  await sleep(SETTLE_MS);
  // bench-w2 is a fresh process (no link-time residue); its 0-session baseline is bench-w1's (same build and settings).
  const reading = await readBoth(suite, worker, bare);
  return {
    sessions,
    bare: { seconds: round(bareRestore.seconds, 1), retries: bareRestore.retries, ...perSession(reading.bare, baseline.bare, bareRestore.count) },
    worker: { seconds: restoreSeconds, bootSeconds, liveOnSimulator: onSim.live, ...perSession(reading.worker, baseline.worker, sessions) },
    ratio: round(restoreSeconds / bareRestore.seconds),
    loadAverage1m: round(loadavg()[0]!),
  };
}

/** Two workers, all failover sessions on one; kill -9 it; time until every one is connected on the other. */
async function measureFailover(suite: SuiteUnderBench) {
  await suite.stopWorker('bench-w2', 'SIGTERM');
  await suite.keepOnlyFirst(FAILOVER_SESSIONS);
  const sessions = await suite.linkedSessions(FAILOVER_SESSIONS);
  const since = new Date();
  await suite.startWorker('bench-w3');
  await pollUntil(async () => ((await suite.connectedOn('bench-w3', since)) >= sessions ? true : undefined), 120_000, 'failover set on bench-w3');
  await suite.startWorker('bench-w4');
  await pollUntil(async () => ((await suite.liveWorkers()).length === 2 ? true : undefined), 30_000, 'both workers registered', 250);
  await suite.sim.resetMaxConnections();
  const killedAt = new Date();
  await suite.stopWorker('bench-w3', 'SIGKILL');
  let firstSeconds: number | undefined;
  await pollUntil(async () => {
    const connected = await suite.connectedOn('bench-w4', killedAt);
    if (connected > 0) firstSeconds ??= seconds(killedAt.getTime());
    return connected >= sessions ? true : undefined;
  }, 60_000, `${sessions} sessions on bench-w4`);
  const failoverSeconds = seconds(killedAt.getTime());
  const onSim = await suite.connectionsOf(WORKER_PHONE_PREFIX);
  log(`failover of ${sessions}: first connected after ${firstSeconds} s, all after ${failoverSeconds} s; max per account ${onSim.maxPerAccount}`);
  return {
    sessions,
    seconds: failoverSeconds,
    firstSeconds,
    liveOnSimulator: onSim.live,
    maxConnectionsPerAccount: onSim.maxPerAccount,
    loadAverage1m: round(loadavg()[0]!),
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const host = machine();
  await withSuiteAndBare({}, async (suite, bare, worker) => {
    const memory = await measureMemory(suite, bare, worker);
    const restore = await measureRestore(suite, bare, memory.baseline);
    await bare.stop();
    const failover = await measureFailover(suite);
    const last = memory.steps.at(-1)!;
    const goals = {
      mibPerSession: { goal: `≤ ${GOALS.mibPerSession} MiB`, measured: last.worker.mibPerSession, met: last.worker.mibPerSession <= GOALS.mibPerSession },
      mibPerSessionAfterGc: { goal: `≤ ${GOALS.mibPerSession} MiB`, measured: last.worker.mibPerSessionAfterGc, met: last.worker.mibPerSessionAfterGc <= GOALS.mibPerSession },
      memoryRatio: { goal: `≤ ${GOALS.memoryRatio}× bare`, measured: last.ratio, met: last.ratio <= GOALS.memoryRatio },
      memoryRatioAfterGc: { goal: `≤ ${GOALS.memoryRatio}× bare`, measured: last.ratioAfterGc, met: last.ratioAfterGc <= GOALS.memoryRatio },
      failoverSeconds: { goal: `≤ ${GOALS.failoverSeconds} s`, measured: failover.seconds, met: failover.seconds <= GOALS.failoverSeconds },
      restoreRatio: { goal: `≤ ${GOALS.restoreRatio}× bare`, measured: restore.ratio, met: restore.ratio <= GOALS.restoreRatio },
    };
    const result = {
      date: new Date().toISOString(),
      command: 'npm run bench:sessions',
      machine: host,
      settings: { steps: STEPS, failoverSessions: FAILOVER_SESSIONS, settleMs: SETTLE_MS, linkConcurrency: LINK_CONCURRENCY, workerSettings: 'defaults (LEASE_TTL_MS 4000, WORKER_TTL_MS 3000, WORKER_HEARTBEAT_MS 1000, RESTORE_CONCURRENCY 20)' },
      memory,
      restore,
      failover,
      goals,
      runSeconds: seconds(started),
    };
    writeResult(`sessions-${result.date.slice(0, 10)}`, result);
  });
}

runBenchmark(main);
