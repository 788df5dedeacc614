import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { profilerNodeArgs } from './cpu-profile';

/**
 * Starts the built simulator (`dist/apps/wa-sim/src/main.js`) as its own process, so its memory
 * and CPU never mix with the process being measured; resolves once it listens.
 */
export async function startSimulator(stateDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...profilerNodeArgs('simulator'), join(__dirname, '../../apps/wa-sim/src/main.js')], {
    // Media port 0: a free one, so two simulators (or a dev one on 7011) never collide.
    env: { ...process.env, WA_SIM_PORT: String(port), WA_SIM_MEDIA_PORT: '0', WA_SIM_STATE_DIR: stateDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('wa-sim ready') && resolve());
  });
  return child;
}
