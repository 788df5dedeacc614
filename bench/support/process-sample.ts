import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_S = 100;

export interface ProcessSample {
  rssMiB: number;
  cpuSeconds: number;
}

/** RSS and user+system CPU time of another process, read from /proc (so reading costs it nothing). */
export function sample(pid: number): ProcessSample {
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rssMiB: rssKiB / 1024, cpuSeconds: ticks / CLOCK_TICKS_PER_S };
}
