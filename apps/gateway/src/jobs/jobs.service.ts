import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { AppError, JOBS, QUEUES, SEND_JOB_OPTIONS, type RunBulkJob } from '@app/contracts';
import { BulkJobRepository, OutboundMessageRepository, type BulkJobItem, type BulkJobRecord } from '@app/db';
import { newWhatsAppMessageId } from '@app/sending';
import type { BulkJobDto, CreateBulkJobDto, ListBulkJobsQueryDto } from './dto/bulk-job.dto';
import { invalidFields, MessageContentBuilder, type MediaCache } from './message-content.builder';

/**
 * Bulk jobs (seed 002): accepted whole (every item checked, media stored) into bulk_jobs, then
 * run by the scheduler item by item through the outbox.
 */
@Injectable()
export class JobsService {
  constructor(
    private readonly jobs: BulkJobRepository,
    private readonly outbox: OutboundMessageRepository,
    private readonly builder: MessageContentBuilder,
    @InjectQueue(QUEUES.bulkJobs) private readonly queue: Queue,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(JobsService.name);
  }

  async create(sessionId: string, body: CreateBulkJobDto, idempotencyKey: string | undefined, traceId: string): Promise<BulkJobDto> {
    const acceptedAt = new Date();
    const [field, requested] = this.itemsOf(body);
    const problems = requested.flatMap((item, index) => this.builder.problemsOf(item, `${field}[${index}]`));
    if (problems.length > 0) throw invalidFields(problems);
    const cache: MediaCache = new Map();
    const items: BulkJobItem[] = [];
    for (const [index, item] of requested.entries()) {
      items.push({ to: this.builder.recipient(item.to), content: await this.builder.content(sessionId, item, `${field}[${index}]`, cache) });
    }
    const kinds = new Set(items.map((item) => (item.content.kind === 'text' ? 'text' : 'media')));
    const { record, created } = await this.jobs.create({
      sessionId,
      kind: kinds.size > 1 ? 'mixed' : [...kinds][0],
      items,
      delayMs: body.delay === undefined ? null : Math.round(body.delay * 1000),
      idempotencyKey,
      acceptedAt,
    });
    if (created) await this.enqueue(record.id, traceId);
    return this.view(record, true);
  }

  async list(sessionId: string, query: ListBulkJobsQueryDto): Promise<BulkJobDto[]> {
    const records = await this.jobs.list(sessionId, { status: query.status, limit: query.limit ?? 20, offset: query.offset ?? 0 });
    return Promise.all(records.map((record) => this.view(record, false)));
  }

  async get(sessionId: string, jobId: string): Promise<BulkJobDto> {
    return this.view(await this.require(sessionId, jobId), true);
  }

  /** Stops the job: no further item is sent; one being sent at this moment may still go out. */
  async cancel(sessionId: string, jobId: string): Promise<BulkJobDto> {
    const result = await this.jobs.cancel(sessionId, jobId, newWhatsAppMessageId());
    switch (result.outcome) {
      case 'not-found':
        throw notFound(jobId);
      case 'finished':
        if (result.record.status === 'cancelled') return this.view(result.record, true);
        throw new AppError('CONFLICT', `Job ${jobId} is ${result.record.status} already`, { status: result.record.status });
      case 'cancelled':
        this.logger.info({ sessionId, jobId, cancelledMessages: result.cancelledMessages }, 'bulk job cancelled');
        return this.view(result.record, true);
    }
  }

  private itemsOf(body: CreateBulkJobDto): ['items' | 'messages', NonNullable<CreateBulkJobDto['items']>] {
    if (body.items && body.messages) throw invalidFields([{ field: 'items', problems: ['give `items` or `messages` (seed 002 bulk text), not both'] }]);
    if (body.items) return ['items', body.items];
    if (body.messages) return ['messages', body.messages];
    throw invalidFields([{ field: 'items', problems: ['give the messages to send as `items` (or `messages`)'] }]);
  }

  /** Queues the run; when Redis refuses, the scheduler's sweep queues it (the job is stored already). */
  private async enqueue(jobId: string, traceId: string): Promise<void> {
    const data: RunBulkJob = { jobId, traceId };
    try {
      await this.queue.add(JOBS.runBulkJob, data, { ...SEND_JOB_OPTIONS, jobId });
    } catch (error) {
      this.logger.warn({ err: error, jobId }, 'bulk job stored but not queued; the scheduler sweep will queue it');
    }
  }

  private async require(sessionId: string, jobId: string): Promise<BulkJobRecord> {
    const record = await this.jobs.findInSession(sessionId, jobId);
    if (!record) throw notFound(jobId);
    return record;
  }

  private async view(record: BulkJobRecord, withCounts: boolean): Promise<BulkJobDto> {
    return {
      id: record.id,
      sessionId: record.sessionId,
      status: record.status,
      kind: record.kind,
      total: record.total,
      currentIndex: record.currentIndex,
      successCount: record.successCount,
      errorCount: record.errorCount,
      delay: record.delayMs === null ? null : record.delayMs / 1000,
      error: record.error,
      createdAt: record.createdAt.toISOString(),
      updatedAt: record.updatedAt.toISOString(),
      finishedAt: record.finishedAt?.toISOString() ?? null,
      ...(withCounts ? { messages: await this.outbox.counts(record.sessionId, record.id) } : {}),
    };
  }
}

const notFound = (jobId: string) => new AppError('JOB_NOT_FOUND', `Job ${jobId} does not exist`);
