import { randomBytes } from 'node:crypto';

/**
 * A Redis prefix of its own for one test file, inside the run's prefix (so teardown still removes
 * it). Files that start workers need one: the worker registry is per prefix.
 */
export const isolatedPrefix = (label: string): string => `${requiredEnv('REDIS_PREFIX')}-${label}-${randomBytes(3).toString('hex')}`;

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: only integration and e2e specs (*.int-spec.ts, *.e2e-spec.ts) get the run's database and Redis`);
  return value;
}

/** Accepted as an admin credential (`x-api-key`) by every gateway a test starts. */
export const TEST_ADMIN_API_KEY = 'test-admin-api-key-0123456789abcdef';

/** The settings every app needs in tests: this run's database, Redis, encryption key and JWT secret. */
export function baseTestEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: requiredEnv('DATABASE_URL'),
    REDIS_URL: requiredEnv('REDIS_URL'),
    REDIS_PREFIX: requiredEnv('REDIS_PREFIX'),
    ENCRYPTION_KEY: requiredEnv('ENCRYPTION_KEY'),
    JWT_SECRET: requiredEnv('JWT_SECRET'),
    ADMIN_API_KEY: TEST_ADMIN_API_KEY,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    NODE_ENV: 'test',
    // Every test file of a run shares one Redis prefix, so anonymous calls from 127.0.0.1 would share
    // one rate-limit budget across files: limits stay out of the way unless a test sets them.
    API_RATE_LIMIT: '1000000',
    ...overrides,
  };
}
