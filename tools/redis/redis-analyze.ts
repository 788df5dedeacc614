import { analyzeRedisUsage } from '@app/redis';
import { kib, parseFlags, runRedisTool, table } from './redis-tool';

const HELP = `npm run redis:analyze [-- --json]
What this installation (REDIS_PREFIX) keeps in Redis, per key family: keys, memory, keys without a TTL.
A family whose keys should all expire ("expires" yes) lists stale keys under "no TTL": npm run redis:clean removes them.`;

/** Seed 000's `redis:analyze`: reads only. */
runRedisTool('redis-analyze', async (redis, config) => {
  const flags = parseFlags(process.argv.slice(2), ['--json', '--help']);
  if (flags.has('--help')) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const report = await analyzeRedisUsage(redis, config.REDIS_PREFIX);
  if (flags.has('--json')) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const rows = report.families.map((family) => [family.family, family.keys, kib(family.memoryBytes), family.withoutTtl, family.expires ? 'yes' : 'no']);
  process.stdout.write(
    `Redis usage under "${report.prefix}:": ${report.keys} keys, ${kib(report.memoryBytes)}, ${report.withoutTtl} without TTL\n\n` +
      `${table(['family', 'keys', 'memory', 'no TTL', 'expires'], rows)}\n`,
  );
  return 0;
});
