import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { SchedulerConfig } from '@app/config';
import { HANDED_OVER, type JobProgressEvent } from '@app/contracts';
import { BulkJobRepository, OutboundMessageRepository, type BulkItemOutcome, type BulkJobItem, type BulkJobRecord } from '@app/db';
import { LiveEventPublisher, SendPacer } from '@app/redis';
import { newWhatsAppMessageId } from '@app/sending';
import { OutboxDelivery, sleep } from '../delivery/outbox-delivery.service';

export type BulkRunOutcome = 'completed' | 'failed' | 'cancelled' | 'gone' | 'stopped';

interface BulkJobProgress {
  total: number;
  currentIndex: number;
  successCount: number;
  errorCount: number;
}

export interface BulkRunContext {
  traceId: string;
  /** Aborted when the scheduler shuts down: the run stops at the next safe point and is resumed later. */
  signal: AbortSignal;
  onProgress(progress: BulkJobProgress): Promise<void>;
}

type ItemResult = { outcome: BulkItemOutcome; gaveUp: boolean; error: string | null } | { outcome: 'cancelled' } | 'stopped';
type Hold = 'ready' | 'cancelled' | 'stopped';

/** How often a long pause between items looks for a cancel. */
const CANCEL_CHECK_MS = 1_000;
/** Seed 002's default pause between items: a random 2-5 s. */
const defaultDelayMs = () => 2_000 + Math.round(Math.random() * 3_000);

/**
 * Runs a bulk job from where it stands: item by item, each into the outbox (idempotent by job and
 * index, so an item of a resumed job is never created twice) and waited for until settled, then
 * counted once (guarded by the index). An item that cannot be sent within
 * DELIVERY_SETTLE_TIMEOUT_MS stops the job as failed: the session cannot send, and each further
 * item would wait as long.
 */
@Injectable()
export class BulkJobRunner {
  constructor(
    private readonly jobs: BulkJobRepository,
    private readonly outbox: OutboundMessageRepository,
    private readonly delivery: OutboxDelivery,
    private readonly pacer: SendPacer,
    private readonly config: SchedulerConfig,
    private readonly logger: PinoLogger,
    private readonly live: LiveEventPublisher,
  ) {
    logger.setContext(BulkJobRunner.name);
  }

  async run(jobId: string, context: BulkRunContext): Promise<BulkRunOutcome> {
    const job = await this.jobs.start(jobId);
    if (!job) return 'gone';
    const items = await this.jobs.items(jobId);
    for (let index = job.currentIndex; index < items.length; index += 1) {
      if (context.signal.aborted) return 'stopped';
      const status = await this.jobs.status(jobId);
      // Gone: its session was deleted, and the job with it.
      if (status === null) return 'gone';
      if (status === 'cancelled') return this.cancelled(job);
      const result = await this.runItem(job, index, items[index], context);
      if (result === 'stopped') return 'stopped';
      if (result.outcome === 'cancelled') return this.cancelled(job);
      await this.jobs.advance(jobId, index, result.outcome);
      await this.report(jobId, context);
      if (result.outcome === 'error' && result.gaveUp) {
        const error = `Item ${index} was given up (${result.error ?? 'not sent'}); the job stopped`;
        this.logger.warn({ jobId, sessionId: job.sessionId, index, traceId: context.traceId }, error);
        await this.jobs.finish(jobId, 'failed', error);
        await this.publishProgress(jobId);
        return 'failed';
      }
      if (index + 1 < items.length && (await this.pause(job, context.signal)) === 'stopped') return 'stopped';
    }
    if ((await this.jobs.status(jobId)) === 'cancelled') return this.cancelled(job);
    await this.jobs.finish(jobId, 'completed');
    await this.publishProgress(jobId);
    return 'completed';
  }

  private async runItem(job: BulkJobRecord, index: number, item: BulkJobItem, context: BulkRunContext): Promise<ItemResult> {
    const hold = await this.holdForPacing(job, item, context.signal);
    if (hold !== 'ready') return hold === 'stopped' ? 'stopped' : { outcome: 'cancelled' };
    const deadline = Date.now() + this.config.DELIVERY_SETTLE_TIMEOUT_MS;
    const accepted = await this.delivery.accept(
      job.sessionId,
      { waMessageId: newWhatsAppMessageId(), toJid: item.to, content: item.content, jobId: job.id, jobIndex: index, traceId: context.traceId },
      deadline,
      context.signal,
    );
    if (accepted === 'stopped') return 'stopped';
    if ('refused' in accepted) return { outcome: 'error', gaveUp: true, error: accepted.refused };
    const settled = await this.delivery.settle(job.sessionId, accepted.state, deadline, context.traceId, context.signal);
    if (settled === 'stopped') return 'stopped';
    const { state } = settled;
    if (state.status === 'cancelled') return { outcome: 'cancelled' };
    if (HANDED_OVER.includes(state.status)) return { outcome: 'success', gaveUp: false, error: null };
    return { outcome: 'error', gaveUp: settled.gaveUp, error: state.error };
  }

  /**
   * Seed 001's hourly caps can make an item wait up to an hour for its slot. Such an item waits
   * here, where a cancel or shutdown ends the wait, instead of in the outbox, where it would run
   * into DELIVERY_SETTLE_TIMEOUT_MS and stop the job. Shorter waits are the session owner's to keep.
   */
  private async holdForPacing(job: BulkJobRecord, item: BulkJobItem, signal: AbortSignal): Promise<Hold> {
    const handOverBelowMs = this.config.DELIVERY_SETTLE_TIMEOUT_MS / 2;
    for (
      let waitMs = await this.pacer.peek(job.sessionId, item.to, 'bulk');
      waitMs >= handOverBelowMs;
      waitMs = await this.pacer.peek(job.sessionId, item.to, 'bulk')
    ) {
      this.logger.debug({ jobId: job.id, sessionId: job.sessionId, waitMs }, 'bulk item held back by pacing');
      await sleep(Math.min(waitMs - handOverBelowMs + 1, CANCEL_CHECK_MS), signal);
      if (signal.aborted) return 'stopped';
      if ((await this.jobs.status(job.id)) === 'cancelled') return 'cancelled';
    }
    return 'ready';
  }

  /** The pause after an item; cut short by a cancel (found by the next item) or a shutdown. */
  private async pause(job: BulkJobRecord, signal: AbortSignal): Promise<'done' | 'stopped'> {
    const until = Date.now() + (job.delayMs ?? defaultDelayMs());
    for (let left = until - Date.now(); left > 0; left = until - Date.now()) {
      await sleep(Math.min(left, CANCEL_CHECK_MS), signal);
      if (signal.aborted) return 'stopped';
      if ((await this.jobs.status(job.id)) === 'cancelled') break;
    }
    return 'done';
  }

  /** Cancel already stopped the job's waiting messages; this catches one put in while it ran. */
  private async cancelled(job: BulkJobRecord): Promise<BulkRunOutcome> {
    await this.outbox.cancelPending(job.sessionId, job.id);
    await this.publishProgress(job.id);
    return 'cancelled';
  }

  private async report(jobId: string, context: BulkRunContext): Promise<void> {
    const record = await this.jobs.find(jobId);
    if (!record) return;
    await context.onProgress({ total: record.total, currentIndex: record.currentIndex, successCount: record.successCount, errorCount: record.errorCount });
    await this.live.jobProgress(progressEventOf(record));
  }

  /** The job's counters and status as a `job.progress` live event. */
  private async publishProgress(jobId: string): Promise<void> {
    const record = await this.jobs.find(jobId);
    if (record) await this.live.jobProgress(progressEventOf(record));
  }
}

function progressEventOf(record: BulkJobRecord): JobProgressEvent {
  const { id: jobId, sessionId, status, total, currentIndex, successCount, errorCount, error } = record;
  return { jobId, sessionId, status, total, currentIndex, successCount, errorCount, error, at: record.updatedAt.toISOString() };
}
