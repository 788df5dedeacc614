import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, builtScript } from './app-process';
import { freePorts } from './free-port';
import { retireEarlierSessions } from './suite-harness';
import { baseTestEnv, isolatedPrefix } from './test-env';

/** `npm run sandbox` as a newcomer starts it: the launcher with the simulator, on free ports. */
export interface RunningSandbox {
  launcher: AppProcess;
  /** The gateway, e.g. http://127.0.0.1:41234 */
  gateway: string;
  /** The simulator's control API. */
  simulator: string;
  /** The admin key the sandbox printed for this run. */
  adminKey: string;
  stop(): Promise<void>;
}

export async function startSandbox(label: string, settings: Record<string, string> = {}): Promise<RunningSandbox> {
  await retireEarlierSessions();
  const [port, simPort, mediaPort, workerPort, runnerPort, schedulerPort] = await freePorts(7);
  const scratch = await mkdtemp(join(tmpdir(), `wagw-${label}-`));
  await writeFile(join(scratch, '.env'), '');
  const { ADMIN_API_KEY: _generatedBySandbox, ...env } = baseTestEnv();
  const launcher = new AppProcess(
    builtScript('tools/launcher/start-suite.js'),
    {
      ...env,
      REDIS_PREFIX: isolatedPrefix(label),
      PORT: String(port),
      HOST: '127.0.0.1',
      SESSION_WORKERS: '1',
      WORKER_METRICS_PORT: String(workerPort),
      AGENT_RUNNER_METRICS_PORT: String(runnerPort),
      SCHEDULER_METRICS_PORT: String(schedulerPort),
      WA_SIM_PORT: String(simPort),
      WA_SIM_MEDIA_PORT: String(mediaPort),
      WA_SIM_STATE_DIR: join(scratch, 'wa-sim'),
      TEMP_DIR: join(scratch, 'tmp'),
      LOG_LEVEL: 'info',
      ...settings,
    },
    ['--sandbox', '--settings-file', join(scratch, '.env')],
  );
  const stop = async () => {
    await launcher.stop();
    await rm(scratch, { recursive: true, force: true });
  };
  try {
    const adminKey = (await launcher.waitForOutput(/sandbox: admin key for this run/, 60_000)).split(': ').pop()!.trim();
    const simulator = /at (\S+)\/docs/.exec(await launcher.waitForOutput(/sandbox: WhatsApp simulator at/, 60_000))![1];
    await launcher.waitForOutput(/suite ready in \d+ ms/, 90_000);
    return { launcher, gateway: `http://127.0.0.1:${port}`, simulator, adminKey, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
