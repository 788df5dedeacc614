import { setTimeout as delay } from 'node:timers/promises';

/**
 * The work's result, or `undefined` when `ms` pass first. The work itself keeps running: this
 * only bounds how long the caller waits for it (a shutdown step that must not outlast its grace).
 */
export async function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  const timer = new AbortController();
  try {
    return await Promise.race([work, delay(ms, undefined, { signal: timer.signal })]);
  } finally {
    timer.abort();
  }
}
