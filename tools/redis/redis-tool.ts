import Redis from 'ioredis';
import { loadConfigOrExit, RedisToolsConfig } from '@app/config';
import { redisOptionsFromUrl } from '@app/redis';

/** The command line of a Redis tool: flags it knows, the rest refused. */
export function parseFlags(argv: string[], known: readonly string[]): Set<string> {
  const flags = new Set(argv);
  const unknown = [...flags].filter((flag) => !known.includes(flag));
  if (unknown.length > 0) {
    process.stderr.write(`unknown option ${unknown.join(', ')}; options: ${known.join(' ')}\n`);
    process.exit(64);
  }
  return flags;
}

/** Runs a tool with its config and a Redis connection, and ends the process with its exit code. */
export function runRedisTool(name: string, tool: (redis: Redis, config: RedisToolsConfig) => Promise<number>): void {
  const config = loadConfigOrExit(RedisToolsConfig, name);
  const redis = new Redis({ ...redisOptionsFromUrl(config.REDIS_URL), connectionName: `wagw-${name}`, maxRetriesPerRequest: 1, lazyConnect: true });
  void redis
    .connect()
    .then(() => tool(redis, config))
    .then(
      (code) => redis.quit().then(() => process.exit(code)),
      (error: unknown) => {
        process.stderr.write(`${name} failed: ${(error as Error).message}\n`);
        redis.disconnect();
        process.exit(1);
      },
    );
}

/** Left-aligned first column, right-aligned numbers. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  return cells.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')).join('\n');
}

export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
