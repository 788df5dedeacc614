import { execFile } from 'node:child_process';
import path from 'node:path';
import Redis from 'ioredis';
import { redisKeys } from '@app/contracts';
import { isolatedPrefix, requiredEnv } from '../../test/support/test-env';

const repoRoot = path.resolve(__dirname, '..', '..');

/** Runs a built tool as an operator does (`npm run redis:…` runs the same file) and reports its exit code and output. */
function tool(script: 'redis-analyze' | 'redis-clean', args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(repoRoot, 'dist/tools/redis', `${script}.js`), ...args],
      { env: { PATH: process.env.PATH ?? '', ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** The npm scripts redis:analyze and redis:clean (seed 000), end to end on a seeded prefix. */
describe('redis:analyze and redis:clean on the command line', () => {
  const redis = new Redis(requiredEnv('REDIS_URL'));
  const prefix = isolatedPrefix('cli');
  const env = (overrides: Record<string, string> = {}) => ({ REDIS_URL: requiredEnv('REDIS_URL'), REDIS_PREFIX: prefix, NODE_ENV: 'production', ...overrides });
  const stale = redisKeys.sendPacingLog(prefix, 'cli-session');
  const fresh = redisKeys.sendPacing(prefix, 'cli-session');

  beforeAll(async () => {
    await redis.multi().zadd(stale, Date.now(), 'm1').hset(fresh, 'last', Date.now()).pexpire(fresh, 60_000).exec();
  });

  afterAll(() => redis.quit());

  it('analyze reports the families as JSON or as a table', async () => {
    const json = await tool('redis-analyze', ['--json'], env());
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      prefix,
      keys: 2,
      withoutTtl: 1,
      families: [{ family: 'send-pacing', keys: 2, withoutTtl: 1, expires: true }],
    });
    const text = await tool('redis-analyze', [], env());
    expect(text.stdout).toContain(`Redis usage under "${prefix}:": 2 keys`);
    expect(text.stdout).toMatch(/send-pacing\s+2\s+[\d.]+ KiB\s+1\s+yes/);
  });

  it('clean only reports in production unless --apply, and then removes only the stale key', async () => {
    const report = await tool('redis-clean', [], env());
    expect(report.code).toBe(0);
    expect(report.stdout).toContain('would remove 1 stale item(s) (dry run');
    expect(await redis.exists(stale)).toBe(1);
    const applied = await tool('redis-clean', ['--apply', '--json'], env());
    expect(JSON.parse(applied.stdout)).toMatchObject({ dryRun: false, total: 1, removed: [{ rule: 'keysWithoutTtl', family: 'send-pacing', count: 1 }] });
    expect(await redis.exists(stale, fresh)).toBe(1);
    expect(await redis.exists(fresh)).toBe(1);
  });

  it('applies by default outside production, and refuses unknown or contradictory options', async () => {
    await redis.zadd(stale, Date.now(), 'm2');
    const development = await tool('redis-clean', ['--json'], env({ NODE_ENV: 'development' }));
    expect(JSON.parse(development.stdout)).toMatchObject({ dryRun: false, total: 1 });
    expect(await redis.exists(stale)).toBe(0);
    expect((await tool('redis-clean', ['--force'], env())).code).toBe(64);
    expect((await tool('redis-clean', ['--dry-run', '--apply'], env())).code).toBe(64);
    const badPrefix = await tool('redis-analyze', [], env({ REDIS_PREFIX: 'no spaces allowed' }));
    expect(badPrefix.code).toBe(78);
    expect(badPrefix.stderr).toContain('REDIS_PREFIX');
  });
});
