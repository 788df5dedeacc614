import { dropTestDatabase } from './test-database';
import { deleteRedisKeys } from './test-redis';

export default async function globalTeardown(): Promise<void> {
  const runId = process.env.TEST_RUN_ID;
  if (!runId) return;
  await dropTestDatabase(runId);
  await deleteRedisKeys(`${process.env.REDIS_PREFIX}*`);
}
