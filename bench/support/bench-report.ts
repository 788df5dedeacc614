import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

export const round = (value: number, digits = 2): number => +value.toFixed(digits);

/** A progress line on stdout, stamped with the time of day. */
export const log = (line: string): void => void process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** What the numbers were measured on. */
export function machine() {
  const model = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  return {
    cpus: cpus().length,
    model,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    loadAverageAtStart: loadavg().map((value) => round(value)),
  };
}

/** Prints the result and writes it to docs/bench-results/<name>.json (npm runs scripts from the package root). */
export function writeResult(name: string, result: unknown): void {
  const directory = join(process.cwd(), 'docs', 'bench-results');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\nwritten to ${file}\n`);
}

/** Runs a benchmark's main; a failure is printed and makes the process exit non-zero. */
export function runBenchmark(main: () => Promise<void>): void {
  void main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
