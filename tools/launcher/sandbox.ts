import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ProcessSupervisor } from './process-supervisor';

/** What the suite's processes need to talk to the simulator instead of WhatsApp. */
export interface SandboxSettings {
  controlUrl: string;
  env: { WA_WS_URL: string; WA_TRUSTED_ROOT_PUBLIC_KEY: string; NODE_EXTRA_CA_CERTS: string };
}

interface SimulatorInfo {
  wsUrl: string;
  rootPublicKey: string;
  caCertificatePath: string;
}

const READY_TIMEOUT_MS = 30_000;

/**
 * `npm run sandbox`: runs the project's WhatsApp simulator as one more supervised process and
 * returns the three settings that point the workers at it (the only ones that differ from
 * production). The simulator keeps its state in WA_SIM_STATE_DIR, so linked sessions survive.
 */
export async function startSandboxSimulator(supervisor: ProcessSupervisor, distRoot: string, env: NodeJS.ProcessEnv): Promise<SandboxSettings> {
  const announced = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the simulator did not start within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    supervisor.start({
      name: 'wa-sim',
      script: join(distRoot, 'apps', 'wa-sim', 'src', 'main.js'),
      env,
      onLine: (line) => {
        const match = /control API\s+(\S+)\/docs/.exec(line);
        if (!match?.[1]) return;
        clearTimeout(timer);
        resolve(match[1]);
      },
    });
  });
  const controlUrl = await announced;
  const info = (await (await fetch(`${controlUrl}/info`)).json()) as SimulatorInfo;
  return {
    controlUrl,
    env: { WA_WS_URL: info.wsUrl, WA_TRUSTED_ROOT_PUBLIC_KEY: info.rootPublicKey, NODE_EXTRA_CA_CERTS: info.caCertificatePath },
  };
}

/** A bootstrap admin key for the sandbox run when none is configured (printed, never stored). */
export const sandboxAdminKey = (configured: string | undefined): { key: string; generated: boolean } =>
  configured ? { key: configured, generated: false } : { key: randomBytes(24).toString('hex'), generated: true };

/**
 * Browser origins the sandbox lets call the API when ALLOWED_ORIGINS is not set: the gateway's
 * own (a console it serves, reached as localhost or 127.0.0.1) and a Vite dev server's default.
 */
export const sandboxAllowedOrigins = (port: number): string[] => [
  `http://localhost:${port}`,
  `http://127.0.0.1:${port}`,
  'http://localhost:5173',
  'http://127.0.0.1:5173',
];
