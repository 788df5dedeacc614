import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The compiled entry point of an app (tests that spawn processes run against `npm run build` output). */
export function builtScript(relativePath: string): string {
  const script = join(ROOT, 'dist', relativePath);
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first (npm test does)`);
  return script;
}

/** Every process a test file started and has not seen exit (see killLeftoverProcesses). */
const running = new Set<AppProcess>();

/**
 * Kills what a test file left running. A live child keeps Jest (which runs in band on small
 * machines) from ever exiting, so a test that loses track of a process must not hang the run.
 */
export async function killLeftoverProcesses(): Promise<number> {
  const leftovers = [...running];
  await Promise.all(leftovers.map((process) => process.stop('SIGKILL')));
  return leftovers.length;
}

/** A real process of the suite, with its output captured for assertions and failure reports. */
export class AppProcess {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  /** `nodeArgs` go to Node itself (flags NODE_OPTIONS does not allow, such as --cpu-prof). */
  constructor(script: string, env: Record<string, string>, args: string[] = [], nodeArgs: string[] = []) {
    this.child = spawn(process.execPath, [...nodeArgs, script, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.setEncoding('utf8').on('data', (chunk: string) => this.output.push(...chunk.split('\n').filter(Boolean)));
    }
    running.add(this);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        running.delete(this);
        resolve({ code, signal });
      }),
    );
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when a line of output matches, rejects when the process ends or time runs out. */
  async waitForOutput(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      const line = this.output.find((candidate) => pattern.test(candidate));
      if (line) return line;
      if (!this.running) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no output matching ${pattern}; last lines:\n${this.output.slice(-15).join('\n')}`);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20_000): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Polls until the URL answers with the expected status; returns the last response body. */
export async function waitForHttp(url: string, expectedStatus = 200, timeoutMs = 30_000): Promise<string> {
  const started = Date.now();
  let last = 'no response';
  while (Date.now() - started < timeoutMs) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      const body = await response.text();
      if (response.status === expectedStatus) return body;
      last = `${response.status} ${body.slice(0, 300)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${url} did not answer ${expectedStatus} within ${timeoutMs} ms (last: ${last})`);
}
