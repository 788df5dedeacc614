import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { SessionWorkerConfig } from '@app/config';

const ROOT = join(__dirname, '..', '..');
const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');
const APP_SERVICES = ['gateway', 'session-worker', 'agent-runner', 'scheduler'];

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  container_name?: string;
  hostname?: string;
  ports?: unknown[];
  volumes?: string[];
  stop_grace_period?: string;
}

/** The Compose specification's JSON schema, as the dclint package ships it (refreshed from compose-spec). */
function composeSpecValidator() {
  const schemaFile = join(dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
  // It names draft-07 by the https address, which Ajv (draft-07 itself) knows under the http one.
  schema.$schema = 'http://json-schema.org/draft-07/schema#';
  // The spec's schema uses keywords and formats of its own (e.g. `deprecated`): not strict.
  return new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
}

const seconds = (duration: string): number => {
  const match = /^(\d+)s$/.exec(duration);
  if (!match) throw new Error(`unexpected duration ${duration}`);
  return Number(match[1]);
};

/**
 * docker-compose.yml checked with npm packages only (a fresh clone needs nothing else): the YAML,
 * with its anchors merged as Compose merges them, against the Compose specification's schema,
 * then what the suite needs of it. Where Debian's docker-compose is installed, it checks the file too.
 */
describe('docker-compose.yml', () => {
  const source = readFileSync(COMPOSE_FILE, 'utf8');
  const compose = parse(source, { merge: true }) as { services: Record<string, ComposeService> };
  const services = compose.services;
  const validate = composeSpecValidator();

  it('follows the Compose specification', () => {
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
  });

  it('is checked strictly enough to catch a misspelt or mistyped key', () => {
    const broken = structuredClone(compose);
    (broken.services.gateway as Record<string, unknown>).helthcheck = broken.services.gateway.healthcheck;
    (broken.services['session-worker'] as Record<string, unknown>).deploy = { replicas: [2] };
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((error) => `${error.instancePath} ${error.message}`)).toEqual(
      expect.arrayContaining(['/services/gateway must NOT have additional properties', '/services/session-worker/deploy/replicas must be integer,string']),
    );
  });

  it('runs PostgreSQL, Redis, a migration, the gateway, session workers, the agent-runner and the scheduler', () => {
    expect(Object.keys(services).sort()).toEqual(['agent-runner', 'gateway', 'migrate', 'postgres', 'redis', 'scheduler', 'session-worker']);
    for (const name of [...APP_SERVICES, 'postgres', 'redis']) {
      expect({ name, test: services[name]?.healthcheck?.test?.length }).toEqual({ name, test: expect.any(Number) });
    }
    for (const name of APP_SERVICES) {
      const service = services[name];
      expect(service.depends_on).toEqual({ migrate: { condition: 'service_completed_successfully' }, redis: { condition: 'service_healthy' } });
      expect(service.environment?.DATABASE_URL).toContain('@postgres:5432/');
    }
    expect(services.migrate.command).toEqual(['npm', 'run', 'db:migrate']);
    expect(services.migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it('requires ENCRYPTION_KEY and JWT_SECRET, saying how to make one', () => {
    const required = (name: string) => expect.stringMatching(new RegExp(`^\\$\\{${name}:\\?set ${name}, e\\.g\\. openssl rand -hex 32\\}$`));
    for (const name of [...APP_SERVICES, 'migrate']) expect(services[name].environment!.ENCRYPTION_KEY).toEqual(required('ENCRYPTION_KEY'));
    expect(services.gateway.environment!.JWT_SECRET).toEqual(required('JWT_SECRET'));
  });

  it('scales session workers with --scale: no fixed worker id, name or published port, a stop timeout longer than the drain', () => {
    const worker = services['session-worker'];
    expect(worker.deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(worker.environment).not.toHaveProperty('WORKER_ID');
    expect(worker).not.toHaveProperty('container_name');
    expect(worker).not.toHaveProperty('hostname');
    expect(worker).not.toHaveProperty('ports');
    const drainGraceMs = Number(worker.environment?.WORKER_DRAIN_GRACE_MS ?? new SessionWorkerConfig().WORKER_DRAIN_GRACE_MS);
    expect(seconds(worker.stop_grace_period ?? '10s') * 1_000).toBeGreaterThan(drainGraceMs);
  });

  it('lets the scheduler clean the media previews the gateway writes', () => {
    const tempMount = (name: string) => services[name].volumes?.find((volume) => volume.endsWith(':/app/tmp'));
    expect(tempMount('gateway')).toBe('media-temp:/app/tmp');
    expect(tempMount('scheduler')).toBe('media-temp:/app/tmp');
    expect(services.gateway.environment!.TEMP_DIR).toBe('/app/tmp');
    expect(services.scheduler.environment!.TEMP_DIR).toBe('/app/tmp');
  });

  const composeInstalled = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
  if (!composeInstalled) console.warn('docker-compose is not installed: docker-compose.yml is checked against the Compose schema only');
  // An extra check where Debian's docker-compose is installed (CI does not need it).
  (composeInstalled ? describe : describe.skip)('docker-compose config (only where docker-compose is installed)', () => {
    // An empty env file, so the result does not depend on a developer's own .env.
    const emptyEnvFile = join(mkdtempSync(join(tmpdir(), 'wagw-compose-')), 'empty.env');
    writeFileSync(emptyEnvFile, '');
    const config = (env: Record<string, string>) =>
      spawnSync('docker-compose', ['--env-file', emptyEnvFile, '-f', COMPOSE_FILE, 'config'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', ...env },
        encoding: 'utf8',
      });

    it('accepts the file and fills in the secrets', () => {
      const result = config({ ENCRYPTION_KEY: 'a'.repeat(64), JWT_SECRET: 'b'.repeat(64) });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const resolved = parse(result.stdout).services as Record<string, ComposeService>;
      expect(Object.keys(resolved).sort()).toEqual(Object.keys(services).sort());
      expect(resolved['session-worker'].environment!.ENCRYPTION_KEY).toBe('a'.repeat(64));
      expect(resolved.gateway.environment!.JWT_SECRET).toBe('b'.repeat(64));
    });

    it.each([
      ['ENCRYPTION_KEY', { JWT_SECRET: 'b'.repeat(64) }],
      ['JWT_SECRET', { ENCRYPTION_KEY: 'a'.repeat(64) }],
    ])('refuses to start without %s, saying how to make one', (name, env) => {
      const result = config(env);
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(`set ${name}`);
    });
  });
});
