import { randomBytes } from 'node:crypto';
import { createTestDatabase } from './test-database';

/**
 * Each Jest run gets its own PostgreSQL database and its own Redis key/channel prefix, so runs
 * never see each other's data (nor a suite running on the same machine). The environment set
 * here is inherited by every test worker; global-teardown removes both.
 */
export default async function globalSetup(): Promise<void> {
  const runId = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  process.env.TEST_RUN_ID = runId;
  process.env.REDIS_PREFIX = `wagw-${runId}`;
  process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
  process.env.ENCRYPTION_KEY ??= randomBytes(32).toString('hex');
  process.env.JWT_SECRET ??= randomBytes(32).toString('hex');
  process.env.LOG_LEVEL ??= 'warn';
  process.env.DATABASE_URL = await createTestDatabase(runId);
}
