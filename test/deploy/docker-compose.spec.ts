import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');
const APP_SERVICES = ['gateway', 'worker-1', 'worker-2', 'agent-runner', 'scheduler'];

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

/** Validates docker-compose.yml with Debian's docker-compose (no Docker engine runs here). */
describe('docker-compose.yml', () => {
  // An empty env file, so the result does not depend on a developer's own .env.
  const emptyEnvFile = join(mkdtempSync(join(tmpdir(), 'wagw-compose-')), 'empty.env');
  writeFileSync(emptyEnvFile, '');

  const compose = (env: Record<string, string>) =>
    spawnSync('docker-compose', ['--env-file', emptyEnvFile, '-f', COMPOSE_FILE, 'config'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
    });

  beforeAll(() => {
    try {
      execFileSync('docker-compose', ['version'], { stdio: 'ignore' });
    } catch {
      throw new Error('docker-compose is required to validate docker-compose.yml: apt-get install docker-compose');
    }
  });

  it('is valid and runs PostgreSQL, Redis, a migration, the gateway, two workers, the agent-runner and the scheduler', () => {
    const result = compose({ ENCRYPTION_KEY: 'a'.repeat(64), JWT_SECRET: 'b'.repeat(64) });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const services = parse(result.stdout).services as Record<string, ComposeService>;
    expect(Object.keys(services).sort()).toEqual(['agent-runner', 'gateway', 'migrate', 'postgres', 'redis', 'scheduler', 'worker-1', 'worker-2']);

    for (const name of [...APP_SERVICES, 'postgres', 'redis']) {
      expect({ name, test: services[name]?.healthcheck?.test?.length }).toEqual({ name, test: expect.any(Number) });
    }
    for (const name of APP_SERVICES) {
      const service = services[name]!;
      expect(service.depends_on).toEqual({ migrate: { condition: 'service_completed_successfully' }, redis: { condition: 'service_healthy' } });
      expect(service.environment).toMatchObject({ ENCRYPTION_KEY: 'a'.repeat(64), DATABASE_URL: expect.stringContaining('@postgres:5432/') });
    }
    expect(services.gateway!.environment!.JWT_SECRET).toBe('b'.repeat(64));
    expect(services.migrate!.command).toEqual(['npm', 'run', 'db:migrate']);
    expect(services.migrate!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services['worker-1']!.environment!.WORKER_ID).not.toBe(services['worker-2']!.environment!.WORKER_ID);
  });

  it.each([
    ['ENCRYPTION_KEY', { JWT_SECRET: 'b'.repeat(64) }],
    ['JWT_SECRET', { ENCRYPTION_KEY: 'a'.repeat(64) }],
  ])('refuses to start without %s, saying how to make one', (name, env) => {
    const result = compose(env);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`set ${name}`);
  });
});
