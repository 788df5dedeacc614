import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, SchedulerConfig } from '@app/config';
import { SessionCommandRouter } from '@app/transport';
import { SchedulerModule } from '../../apps/scheduler/src/scheduler.module';
import { baseTestEnv } from './test-env';

/**
 * The scheduler built in-process as main.ts builds it, with a temp directory of its own unless
 * `env` names one. `sessionOwner` (an object with SessionCommandRouter's `send`)
 * stands in for the session workers, for specs that send without running one.
 */
export async function createSchedulerApp(env: Record<string, string>, sessionOwner?: object): Promise<INestApplication> {
  const config = loadConfig(SchedulerConfig, baseTestEnv({ ...env, TEMP_DIR: env.TEMP_DIR ?? mkdtempSync(join(tmpdir(), 'wagw-scheduler-')) }));
  const builder = Test.createTestingModule({ imports: [SchedulerModule.register(config)] });
  if (sessionOwner) builder.overrideProvider(SessionCommandRouter).useValue(sessionOwner);
  const app = (await builder.compile()).createNestApplication({ logger: false });
  await app.init();
  return app;
}
