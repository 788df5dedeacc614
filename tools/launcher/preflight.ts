import { Client } from 'pg';
import Redis from 'ioredis';

export interface PreflightFailure {
  service: 'PostgreSQL' | 'Redis';
  url: string;
  reason: string;
  howToStart: string;
}

const HOW_TO_START = {
  PostgreSQL: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start   (or: docker compose up -d postgres)',
  Redis: 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no   (or: docker compose up -d redis)',
} as const;

/** The URL with any password replaced, so it can be printed. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** PostgreSQL answers, even if the database itself does not exist yet (db:migrate creates it). */
async function checkPostgres(url: string, timeoutMs: number): Promise<string | null> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    return null;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '3D000') return null;
    return (error as Error).message || code || 'unreachable';
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkRedis(url: string, timeoutMs: number): Promise<string | null> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return (error as Error).message || 'unreachable';
  } finally {
    redis.disconnect();
  }
}

/** Checks both stores; returns one failure per store that did not answer. */
export async function preflight(databaseUrl: string, redisUrl: string, timeoutMs = 3_000): Promise<PreflightFailure[]> {
  const [pg, redis] = await Promise.all([checkPostgres(databaseUrl, timeoutMs), checkRedis(redisUrl, timeoutMs)]);
  const failures: PreflightFailure[] = [];
  if (pg) failures.push({ service: 'PostgreSQL', url: redactUrl(databaseUrl), reason: pg, howToStart: HOW_TO_START.PostgreSQL });
  if (redis) failures.push({ service: 'Redis', url: redactUrl(redisUrl), reason: redis, howToStart: HOW_TO_START.Redis });
  return failures;
}
