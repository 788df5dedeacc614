import { hostname } from 'node:os';
import { join } from 'node:path';
import type { LauncherConfig, SessionWorkerConfig } from '@app/config';
import { chooseLogFormat } from '@app/observability/log-format';
import type { ProcessSpec } from './process-supervisor';

/**
 * The environment the launcher hands its apps: its own, with LOG_FORMAT settled. The apps write to
 * pipes read by the launcher, so only the launcher can tell whether a person reads the lines.
 */
export const appEnvironment = (launcher: LauncherConfig, env: NodeJS.ProcessEnv, outputIsTerminal: boolean): NodeJS.ProcessEnv => ({
  ...env,
  LOG_FORMAT: chooseLogFormat(launcher.LOG_FORMAT, outputIsTerminal),
});

/** The processes `npm start` runs: one gateway, N session workers, the agent-runner, the scheduler. */
export function suiteProcesses(launcher: LauncherConfig, worker: SessionWorkerConfig, distRoot: string, env: NodeJS.ProcessEnv): ProcessSpec[] {
  const app = (name: string) => join(distRoot, 'apps', name, 'src', 'main.js');
  const workers = Array.from({ length: launcher.SESSION_WORKERS }, (_, index): ProcessSpec => ({
    name: `worker-${index + 1}`,
    script: app('session-worker'),
    env: {
      ...env,
      // Unique per host, so launchers on several machines can share one Redis.
      WORKER_ID: `${worker.WORKER_ID ?? hostname()}-worker-${index + 1}`,
      WORKER_METRICS_PORT: String(worker.WORKER_METRICS_PORT + index),
    },
  }));
  return [
    { name: 'gateway', script: app('gateway'), env },
    ...workers,
    { name: 'agent-runner', script: app('agent-runner'), env },
    { name: 'scheduler', script: app('scheduler'), env },
  ];
}
