import { AsyncResource } from 'node:async_hooks';

/**
 * libsignal serialises the work on one Signal address through a process-wide queue, and runs each
 * queued job in the async context of whichever caller started that queue. Baileys keeps each
 * socket's key transaction in an AsyncLocalStorage context. In a worker holding many sessions,
 * sessions sending to the same contact share that queue, so one session's encryption could run in
 * another's context: outside its own transaction (its session record written past it) or inside
 * one of its finished transactions (the write lost), and its next message reused a message key the
 * recipient cannot decrypt. Each job now runs in the context of the caller that queued it.
 *
 * Must run before libsignal's session modules load, so the worker's entry point imports it first.
 */
export function keepLibsignalJobsInTheirCallersContext(): void {
  const queueJobPath = require.resolve('libsignal/src/queue_job');
  for (const dependant of ['session_cipher', 'session_builder']) {
    if (require.cache[require.resolve(`libsignal/src/${dependant}`)]) {
      throw new Error(`libsignal/src/${dependant} loaded before its job queue was bound to callers' contexts`);
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the very CommonJS module instance in require.cache is replaced below
  const queueJob = require(queueJobPath) as (bucket: unknown, awaitable: () => Promise<unknown>) => Promise<unknown>;
  require.cache[queueJobPath]!.exports = (bucket: unknown, awaitable: () => Promise<unknown>) => queueJob(bucket, AsyncResource.bind(awaitable));
}
