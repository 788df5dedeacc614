import { CLEAN_RULES, RedisCleaner } from '@app/redis';
import { parseFlags, runRedisTool, table } from './redis-tool';

const HELP = `npm run redis:clean [-- --dry-run | --apply] [--json]
Removes what is stale under REDIS_PREFIX:
${Object.values(CLEAN_RULES)
  .map((rule) => `  - ${rule}`)
  .join('\n')}
Finished jobs are kept REDIS_CLEAN_JOB_RETENTION_HOURS (default 168). With NODE_ENV=production it only
reports (--dry-run) unless --apply is given; elsewhere it applies unless --dry-run is given.`;

/** Seed 000's `redis:clean` (and, with --apply in a cron job, its `redis:clean:auto`). */
runRedisTool('redis-clean', async (redis, config) => {
  const flags = parseFlags(process.argv.slice(2), ['--dry-run', '--apply', '--json', '--help']);
  if (flags.has('--help')) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (flags.has('--dry-run') && flags.has('--apply')) {
    process.stderr.write('--dry-run and --apply exclude each other\n');
    return 64;
  }
  const dryRun = flags.has('--dry-run') || (config.NODE_ENV === 'production' && !flags.has('--apply'));
  const report = await new RedisCleaner(redis, {
    prefix: config.REDIS_PREFIX,
    dryRun,
    jobRetentionMs: config.REDIS_CLEAN_JOB_RETENTION_HOURS * 3_600_000,
  }).clean();
  if (flags.has('--json')) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const verb = dryRun ? 'would remove' : 'removed';
  const rows = report.removed.map((entry) => [entry.family, entry.count, CLEAN_RULES[entry.rule]]);
  process.stdout.write(
    `redis:clean under "${report.prefix}:" ${verb} ${report.total} stale item(s)${dryRun ? ' (dry run: pass --apply to remove them)' : ''}\n` +
      (rows.length > 0 ? `\n${table(['family', 'count', 'why'], rows)}\n` : ''),
  );
  return 0;
});
