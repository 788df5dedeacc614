import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ProcessSpec {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  /** Sees every line the process prints (e.g. to learn an address it announces). */
  onLine?: (line: string) => void;
}

const MAX_RESTART_DELAY_MS = 30_000;
/** A child that ran this long is considered healthy again, and its restart delay resets. */
const STABLE_AFTER_MS = 60_000;

/**
 * Runs the suite's processes side by side: each line a child prints is prefixed with its name,
 * a child that dies is restarted with growing delays, and `stop` ends them all (SIGTERM, then
 * SIGKILL after the grace period).
 */
export class ProcessSupervisor {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly graceMs = 20_000,
  ) {}

  start(spec: ProcessSpec, restartDelayMs = 1_000): void {
    const startedAt = Date.now();
    const child = spawn(process.execPath, [spec.script], { env: spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.set(spec.name, child);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.out.write(`[${spec.name}] ${line}\n`);
        spec.onLine?.(line);
      });
    }
    child.on('exit', (code, signal) => {
      this.children.delete(spec.name);
      if (this.stopping) return;
      const delay = Date.now() - startedAt > STABLE_AFTER_MS ? 1_000 : restartDelayMs;
      this.out.write(`[launcher] ${spec.name} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms\n`);
      setTimeout(() => this.stopping || this.start(spec, Math.min(delay * 2, MAX_RESTART_DELAY_MS)), delay);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const exits = [...this.children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          const kill = setTimeout(() => child.kill('SIGKILL'), this.graceMs);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    );
    await Promise.all(exits);
  }
}
