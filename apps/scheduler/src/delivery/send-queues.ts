import type { Queue } from 'bullmq';
import { SEND_JOB_OPTIONS } from '@app/contracts';

/**
 * Worker options of the queues that run sends: a scheduler that died holding a job (SIGKILL) has
 * it taken over within about lockDuration + stalledInterval; a job stalled many times still
 * resumes (its progress is in PostgreSQL), rather than being failed after one stall. A job run
 * twice by mistake (a lock lost to a long pause) sends nothing twice: the outbox is idempotent.
 */
export const SEND_WORKER_OPTIONS = { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 1_000 };

/** Scheduled messages are short and due at a time: a dead scheduler's ones are taken over sooner. */
export const SCHEDULE_WORKER_OPTIONS = { ...SEND_WORKER_OPTIONS, lockDuration: 2_000, stalledInterval: 1_000 };

/**
 * Queues a job for a row that still has to run unless one is queued or running already. A
 * finished BullMQ job with that id is a leftover of an earlier run (the row is unfinished, so the
 * run did not finish it) and is replaced. True when a job was added.
 */
export async function ensureQueued(queue: Queue, name: string, jobId: string, data: object, delayMs: number): Promise<boolean> {
  const existing = await queue.getJob(jobId);
  if (existing) {
    const state = await existing.getState();
    if (state !== 'completed' && state !== 'failed') return false;
    await existing.remove();
  }
  await queue.add(name, data, { ...SEND_JOB_OPTIONS, jobId, delay: Math.max(0, delayMs) });
  return true;
}
