import type { OutboundContent } from '@app/contracts';

/** Lifecycle of a bulk job (seed 002; persisted: never rename). */
export const BULK_JOB_STATUSES = ['queued', 'processing', 'completed', 'failed', 'cancelled'] as const;
export type BulkJobStatus = (typeof BULK_JOB_STATUSES)[number];

/** Statuses a job never leaves. */
export const FINISHED_BULK_JOB_STATUSES: readonly BulkJobStatus[] = ['completed', 'failed', 'cancelled'];

/** One message of a job, ready to go into the outbox (recipient normalised, media accepted). */
export interface BulkJobItem {
  to: string;
  content: OutboundContent;
}

export interface BulkJobRecord {
  id: string;
  sessionId: string;
  /** text | media | mixed */
  kind: string;
  status: BulkJobStatus;
  total: number;
  /** Items done (sent, failed or given up); the next item to run. */
  currentIndex: number;
  successCount: number;
  errorCount: number;
  /** Pause between items; null = a random 2-5 s each time (seed 002). */
  delayMs: number | null;
  idempotencyKey: string | null;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

export interface NewBulkJob {
  sessionId: string;
  kind: string;
  items: BulkJobItem[];
  delayMs: number | null;
  idempotencyKey?: string | null;
  /**
   * When the request arrived, before its media were accepted: stored as created_at so that no
   * media of a job is older than the job (the media purge keeps everything newer than the oldest
   * unfinished job).
   */
  acceptedAt: Date;
}

export interface BulkJobFilter {
  status?: BulkJobStatus;
  limit: number;
  offset: number;
}

/** How an item ended: handed to WhatsApp, failed, or cancelled with the job (not counted). */
export type BulkItemOutcome = 'success' | 'error';

export type CancelBulkJobResult =
  { outcome: 'not-found' } | { outcome: 'cancelled'; record: BulkJobRecord; cancelledMessages: number } | { outcome: 'finished'; record: BulkJobRecord };
