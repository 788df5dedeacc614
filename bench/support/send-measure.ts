import { performance } from 'node:perf_hooks';
import type { WaSimClient } from '../../apps/wa-sim/src/client/wa-sim-client';
import type { SentWaitResult } from '../../apps/wa-sim/src/messaging/message-log.service';
import { benchText, type BareSent } from './bare-baileys-process';
import { round } from './bench-report';
import { sample } from './process-sample';
import { forEachLimited, sleep, type SuiteUnderBench } from './suite-under-bench';

/**
 * Epoch ms with sub-ms resolution: the clock the simulator stamps decrypts with (`receivedAtMs`)
 * and the bare Baileys holder reads, so send and decrypt moments compare across processes.
 */
export const now = (): number => performance.timeOrigin + performance.now();

export interface Distribution {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles, in ms rounded to µs. */
export function distribution(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length);
  return { count: sorted.length, mean: round(mean, 3), p50: round(rank(50), 3), p90: round(rank(90), 3), p99: round(rank(99), 3), max: round(rank(100), 3) };
}

/**
 * Waits until `count` sent records match `filter` in the simulator (long polls of 30 s); fails
 * when the count stops growing for `stallMs`.
 */
export async function decrypted(sim: WaSimClient, filter: { account?: string; to?: string }, count: number, stallMs = 60_000): Promise<SentWaitResult> {
  let seen = -1;
  let grewAt = Date.now();
  for (;;) {
    const result = await sim.waitForSent(filter, count, 30_000);
    if (result.reached) return result;
    if (result.count !== seen) [seen, grewAt] = [result.count, Date.now()];
    if (Date.now() - grewAt > stallMs)
      throw new Error(`${result.count} of ${count} messages ${JSON.stringify(filter)} decrypted; no progress for ${stallMs} ms`);
  }
}

/** One text through the gateway's REST API: `POST /agents/{id}/messages` as any client sends it. */
/** `sent`: answered 201, handed to WhatsApp before the answer (else 202, still queued). */
export async function gatewaySend(suite: SuiteUnderBench, sessionId: string, to: string, text: string): Promise<{ sent: boolean }> {
  const { status } = await suite.api<{ status: string }>('POST', `/agents/${sessionId}/messages`, { to, message: text });
  return { sent: status === 'sent' };
}

/**
 * The gateway counterpart of the bare holder's `burst`: message n of every session before n + 1,
 * at most `concurrency` requests in flight. `queued` counts 202 answers (accepted, not yet handed
 * to WhatsApp when the answer came).
 */
export async function gatewayBurst(
  suite: SuiteUnderBench,
  options: { sessionIds: string[]; perSession: number; concurrency: number; to: string; prefix: string },
): Promise<BareSent & { queued: number }> {
  const { sessionIds, perSession, concurrency, to, prefix } = options;
  const items = Array.from({ length: sessionIds.length * perSession }, (_, item) => item);
  const failures: string[] = [];
  let queued = 0;
  const startedAtMs = now();
  await forEachLimited(items, concurrency, async (item) => {
    const index = item % sessionIds.length;
    try {
      const { sent } = await gatewaySend(suite, sessionIds[index], to, benchText(prefix, index, Math.floor(item / sessionIds.length)));
      if (!sent) queued += 1;
    } catch (error) {
      failures.push((error as Error).message);
    }
  });
  return { startedAtMs, resolvedAtMs: now(), failures, queued };
}

/** Pacing off in the gateway and workers (SendingConfig: 0 turns the token bucket, delays and caps off; queue unbounded). */
export const PACING_OFF = {
  SEND_RATE_PER_MINUTE: '0',
  SEND_QUEUE_MAX: '0',
  SEND_DELAY_MIN_MS: '0',
  SEND_DELAY_MAX_MS: '0',
  SEND_MAX_PER_MINUTE: '0',
  SEND_MAX_PER_HOUR: '0',
  SEND_MAX_PER_RECIPIENT_PER_HOUR: '0',
  // Bulk jobs and schedules have a pacing profile of their own (seed 001's, on by default).
  BULK_SEND_DELAY_MIN_MS: '0',
  BULK_SEND_DELAY_MAX_MS: '0',
  BULK_SEND_MAX_PER_MINUTE: '0',
  BULK_SEND_MAX_PER_HOUR: '0',
  BULK_SEND_MAX_PER_RECIPIENT_PER_HOUR: '0',
};

/**
 * One path's burst to `contact` (a phone number): messages/s from the first submission to the
 * simulator's last decrypt, with the CPU seconds of `pids` over it. Starts from a fresh message
 * log and planner statistics; waits `settleMs` afterwards (the burst's receipts).
 */
export async function burstThroughput(
  suite: SuiteUnderBench,
  options: { pids: Record<string, number>; contact: string; total: number; settleMs: number },
  send: () => Promise<BareSent & { queued?: number }>,
) {
  await suite.analyze();
  await suite.sim.clearMessages();
  const cpu = new CpuMeter(options.pids);
  const sent = await send();
  const expected = options.total - sent.failures.length;
  const { last } = await decrypted(suite.sim, { to: options.contact }, expected);
  const cpuSeconds = cpu.used();
  const records = await suite.sim.sentMessages({ to: options.contact });
  const seconds = (last!.receivedAtMs - sent.startedAtMs) / 1000;
  await sleep(options.settleMs);
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
  };
}

/** CPU seconds of processes over a phase: /proc for the others, process.cpuUsage() for this one. */
export class CpuMeter {
  private readonly before: Record<string, number>;
  private readonly ownBefore = process.cpuUsage();

  constructor(private readonly pids: Record<string, number>) {
    this.before = this.read();
  }

  /** CPU seconds each used since construction, `bench` being this process (the REST client). */
  used(): Record<string, number> {
    const after = this.read();
    const own = process.cpuUsage(this.ownBefore);
    return {
      ...Object.fromEntries(Object.entries(after).map(([name, seconds]) => [name, round(seconds - this.before[name])])),
      bench: round((own.user + own.system) / 1e6),
    };
  }

  private read(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.pids).map(([name, pid]) => [name, pid > 0 ? sample(pid).cpuSeconds : 0]));
  }
}
