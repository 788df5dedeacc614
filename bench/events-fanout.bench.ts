/**
 * Live-event fan-out benchmark (issue 11): EVENTS_BENCH_CLIENTS SSE clients on one gateway
 * (GET /events), events appended at EVENTS_BENCH_RATE per second by a LiveEventPublisher (what
 * the workers and the scheduler use); measures the delivery latency from the producer's event to
 * each client, and the gateway's RSS per connected client and CPU under the load.
 *
 *   npm run bench:events                  # 1000 clients, 100 events/s, 30 s after a 5 s warm-up
 *   EVENTS_BENCH_CLIENTS=50 EVENTS_BENCH_RATE=20 EVENTS_BENCH_SECONDS=5 EVENTS_BENCH_WARMUP_S=1 npm run bench:events   # smoke run
 *
 * Knobs: EVENTS_BENCH_CLIENTS (1000); EVENTS_BENCH_RATE (100) events/s; EVENTS_BENCH_SECONDS (30)
 * measured after EVENTS_BENCH_WARMUP_S (5); EVENTS_BENCH_TENANTS (1) users the clients are spread
 * over, round robin, each owning EVENTS_BENCH_SESSIONS_PER_TENANT (10) sessions the events are
 * spread over (1 tenant: every client gets every event, the worst case: clients × rate deliveries/s).
 * Sizes other than the defaults write `events-fanout-<date>-smoke.json`.
 *
 * Clock: the producer stamps each event's text with `performance.timeOrigin + performance.now()`
 * in this process, and each client reads the same clock when the bytes arrive: producer →
 * Redis → the gateway's one XREAD → fan-out → socket → client, all on this machine. The clients
 * live in this process too (one raw HTTP request each, no JSON parse), so their cost is part of
 * what the machine does during the run: read the gateway's CPU figure, not the machine's.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Pool } from 'pg';
import { CoreConfig, loadConfig } from '@app/config';
import { LiveEventPublisher, liveEventOf, RedisClient, redisOptionsFromUrl } from '@app/redis';
import { AppProcess, waitForHttp } from '../test/support/app-process';
import { freePort } from '../test/support/free-port';
import { createTestDatabase, dropTestDatabase } from '../test/support/test-database';
import { deleteRedisKeys } from '../test/support/test-redis';
import { log, machine, round, runBenchmark, writeResult } from './support/bench-report';
import { collectGarbage, INSPECTOR_NODE_OPTIONS, inspectorUrlIn } from './support/inspector-gc';
import { sample } from './support/process-sample';
import { SseLoadClient } from './support/sse-load-client';
import { forEachLimited, pollUntil, sleep } from './support/suite-under-bench';

const setting = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const SIZES = {
  clients: setting('EVENTS_BENCH_CLIENTS', 1000),
  rate: setting('EVENTS_BENCH_RATE', 100),
  seconds: setting('EVENTS_BENCH_SECONDS', 30),
  warmupS: setting('EVENTS_BENCH_WARMUP_S', 5),
  tenants: setting('EVENTS_BENCH_TENANTS', 1),
  sessionsPerTenant: setting('EVENTS_BENCH_SESSIONS_PER_TENANT', 10),
};
const DEFAULT_SIZES = { clients: 1000, rate: 100, seconds: 30, warmupS: 5, tenants: 1, sessionsPerTenant: 10 };
const CONNECT_CONCURRENCY = 50;
/** How long deliveries may trail the last event before the rest count as missing. */
const DRAIN_MS = 10_000;

const nowMs = () => performance.timeOrigin + performance.now();

interface Tenant {
  userId: string;
  apiKey: string;
  sessions: string[];
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const runId = `bench_${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const env: Record<string, string> = {
    DATABASE_URL: '',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `wagw-${runId}`,
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_API_KEY: randomBytes(24).toString('hex'),
    API_RATE_LIMIT: '1000000',
    LOG_LEVEL: 'warn',
  };
  let gateway: AppProcess | undefined;
  let pool: Pool | undefined;
  let redis: RedisClient | undefined;
  const clients: SseLoadClient[] = [];
  log(`events fan-out: ${JSON.stringify(SIZES)}`);
  try {
    env.DATABASE_URL = await createTestDatabase(runId);
    pool = new Pool({ connectionString: env.DATABASE_URL, max: 2 });
    const port = await freePort();
    gateway = new AppProcess(join(__dirname, '..', 'apps/gateway/src/main.js'), {
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_OPTIONS: INSPECTOR_NODE_OPTIONS,
    });
    const apiUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${apiUrl}/docs-json`);
    const gc = () => collectGarbage(inspectorUrlIn(gateway!.output)!);
    const tenants = await createTenants(apiUrl, env.ADMIN_API_KEY, pool);

    await sleep(1_000);
    await gc();
    const baseline = sample(gateway.pid);
    log(`gateway idle: ${round(baseline.rssMiB)} MiB; connecting ${SIZES.clients} clients`);

    const warmupEvents = Math.round(SIZES.warmupS * SIZES.rate);
    const measuredEvents = Math.round(SIZES.seconds * SIZES.rate);
    const eventTenant = (seq: number) => seq % tenants.length;
    const clientsOfTenant = tenants.map((_, index) => Math.ceil((SIZES.clients - index) / tenants.length));
    const expected = Array.from({ length: measuredEvents }, (_, index) => clientsOfTenant[eventTenant(warmupEvents + index)]).reduce((sum, n) => sum + n, 0);
    const latencies = new Float64Array(expected);
    let measured = 0;
    let duplicatesOrStray = 0;
    const onEvent = (seq: number, producedAtMs: number, receivedAtMs: number) => {
      if (seq < warmupEvents) return;
      if (measured < latencies.length) latencies[measured++] = receivedAtMs - producedAtMs;
      else duplicatesOrStray += 1;
    };
    const connectStarted = Date.now();
    await forEachLimited(
      Array.from({ length: SIZES.clients }, (_, index) => index),
      CONNECT_CONCURRENCY,
      async (index) => {
        const client = new SseLoadClient(onEvent);
        clients.push(client);
        await client.connect(`${apiUrl}/events?event=message.received`, { 'x-api-key': tenants[index % tenants.length].apiKey });
      },
    );
    await pollUntil(async () => (clients.every((client) => client.ready) ? true : undefined), 60_000, 'every client ready');
    const connectMs = Date.now() - connectStarted;
    await sleep(2_000);
    await gc();
    const withClients = sample(gateway.pid);
    const perClientKiB = ((withClients.rssMiB - baseline.rssMiB) * 1024) / SIZES.clients;
    log(`${SIZES.clients} clients ready in ${connectMs} ms; gateway ${round(withClients.rssMiB)} MiB (${round(perClientKiB)} KiB per client)`);

    const config = loadConfig(CoreConfig, env);
    redis = new RedisClient({ ...redisOptionsFromUrl(config.REDIS_URL), enableAutoPipelining: true });
    const publisher = new LiveEventPublisher(redis, config);
    const sessions = tenants.map((tenant) => tenant.sessions);
    const publishAll = async (from: number, count: number) => {
      const started = nowMs();
      const interval = 1_000 / SIZES.rate;
      for (let index = 0; index < count; index += 1) {
        const wait = started + index * interval - nowMs();
        if (wait > 1) await sleep(wait);
        const seq = from + index;
        const tenantSessions = sessions[eventTenant(seq)];
        const event = liveEventOf.messageReceived(benchMessage(tenantSessions[seq % tenantSessions.length], seq));
        void publisher.publish([event]);
      }
    };

    log(`warm-up: ${warmupEvents} events`);
    await publishAll(0, warmupEvents);
    await sleep(1_000);
    log(`measuring: ${measuredEvents} events at ${SIZES.rate}/s (${expected} deliveries expected)`);
    let maxRssMiB = withClients.rssMiB;
    const rssSampler = setInterval(() => (maxRssMiB = Math.max(maxRssMiB, sample(gateway!.pid).rssMiB)), 500);
    const cpuBefore = sample(gateway.pid).cpuSeconds;
    const measureStarted = Date.now();
    await publishAll(warmupEvents, measuredEvents);
    const publishedInMs = Date.now() - measureStarted;
    await pollUntil(async () => (measured >= expected ? true : undefined), DRAIN_MS, 'all deliveries').catch(() => undefined);
    const cpuSeconds = sample(gateway.pid).cpuSeconds - cpuBefore;
    const windowMs = Date.now() - measureStarted;
    clearInterval(rssSampler);

    const sorted = latencies.slice(0, measured).sort();
    const droppedClients = clients.filter((client) => client.ended).length;
    writeResult(`events-fanout-${new Date().toISOString().slice(0, 10)}${sameSizes(SIZES, DEFAULT_SIZES) ? '' : '-smoke'}`, {
      benchmark: 'live-event fan-out (GET /events)',
      machine: machine(),
      sizes: SIZES,
      connect: { clients: SIZES.clients, ms: connectMs },
      gatewayRss: {
        idleMiB: round(baseline.rssMiB),
        withClientsMiB: round(withClients.rssMiB),
        perClientKiB: round(perClientKiB),
        maxUnderLoadMiB: round(maxRssMiB),
      },
      latencyMs: {
        p50: round(percentile(sorted, 50)),
        p90: round(percentile(sorted, 90)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted[sorted.length - 1] ?? NaN),
      },
      deliveries: { expected, received: measured, missing: expected - measured, duplicatesOrStray, clientsDisconnected: droppedClients },
      gatewayCpu: {
        percentOfOneCore: round((cpuSeconds * 100_000) / windowMs),
        msPer1000Deliveries: round((cpuSeconds * 1_000_000) / Math.max(1, measured)),
      },
      publishedInMs,
    });
  } finally {
    clients.forEach((client) => client.close());
    redis?.disconnect();
    await gateway?.stop('SIGTERM');
    await pool?.end();
    await dropTestDatabase(runId).catch((error: Error) => process.stderr.write(`drop database: ${error.message}\n`));
    await deleteRedisKeys(`${env.REDIS_PREFIX}*`).catch((error: Error) => process.stderr.write(`redis cleanup: ${error.message}\n`));
  }
}

/** Users with an API key each (through the API) owning sessions (rows only: no worker runs). */
async function createTenants(apiUrl: string, adminKey: string, pool: Pool): Promise<Tenant[]> {
  const call = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: { 'x-api-key': adminKey, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const tenants: Tenant[] = [];
  for (let index = 0; index < SIZES.tenants; index += 1) {
    const user = await call<{ id: string }>('/users', { email: `${randomUUID()}@bench.local`, password: 'a long passphrase', name: `Tenant ${index}` });
    const { key } = await call<{ key: string }>(`/users/${user.id}/api-keys`, { name: 'bench' });
    const sessions = Array.from({ length: SIZES.sessionsPerTenant }, (_, n) => `bench-t${index}-s${n}`);
    for (const id of sessions) {
      await pool.query(`INSERT INTO sessions (id, user_id, client_user_id, name, auto_connect, updated_at) VALUES ($1, $2, $2, $3, false, now())`, [
        id,
        user.id,
        id,
      ]);
    }
    tenants.push({ userId: user.id, apiKey: key, sessions });
  }
  return tenants;
}

function benchMessage(sessionId: string, seq: number) {
  return {
    sessionId,
    waMessageId: `3EB0BENCH${String(seq).padStart(12, '0')}`,
    chatJid: '6289876543210@s.whatsapp.net',
    isGroup: false,
    senderJid: '6289876543210@s.whatsapp.net',
    senderPhone: '6289876543210',
    pushName: 'Bench',
    kind: 'text' as const,
    text: `bench ${seq} ${nowMs().toFixed(3)}`,
    quotedMessageId: null,
    mentions: [],
    mentionsMe: false,
    ownPhone: '6281234567890',
    sentAt: new Date().toISOString(),
    offline: false,
    traceId: randomUUID(),
  };
}

const sameSizes = (a: typeof SIZES, b: typeof SIZES) => (Object.keys(a) as Array<keyof typeof SIZES>).every((key) => a[key] === b[key]);

runBenchmark(main);
