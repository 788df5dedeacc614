import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AcceptsSessionToken, SessionScoped } from '../credentials/auth.decorators';
import { ErrorEnvelopeDto } from '../errors/error-envelope.dto';
import { TraceId } from '../http/trace-id.decorator';
import { IdempotencyKey, Idempotent } from '../idempotency/idempotent.decorator';
import { BulkJobDto, CreateBulkJobDto, ListBulkJobsQueryDto } from './dto/bulk-job.dto';
import { JobsService } from './jobs.service';

/**
 * Seed 002's job queue, nested under the session so tenant isolation applies to every route:
 * `/devices/:deviceId/jobs/send-text|send-media` → `POST /sessions/{id}/jobs`,
 * `/jobs/:jobId` → `GET /sessions/{id}/jobs/{jobId}`, `/jobs/:jobId/cancel` → `POST …/cancel`.
 */
@ApiTags('jobs')
@ApiNotFoundResponse({ type: ErrorEnvelopeDto, description: 'SESSION_NOT_FOUND or JOB_NOT_FOUND' })
@Controller('sessions/:id/jobs')
@SessionScoped()
@AcceptsSessionToken()
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Post()
  @HttpCode(202)
  @Idempotent()
  @ApiOperation({
    summary: 'Start a bulk send job (seed 002 jobs/send-text and jobs/send-media)',
    description:
      'Every item is checked first (recipient, text or media) and media are fetched and stored, then the job is queued and ' +
      'answered at once. The scheduler sends the items in order, one at a time, with `delay` seconds between them (default ' +
      'a random 2-5 s), each exactly once even across restarts. Follow it with GET …/jobs/{jobId}. An item not sent within ' +
      'DELIVERY_SETTLE_TIMEOUT_MS (session not connected) fails, and the job stops as failed.',
  })
  @ApiAcceptedResponse({ type: BulkJobDto })
  create(
    @Param('id') sessionId: string,
    @Body() body: CreateBulkJobDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @TraceId() traceId: string,
  ): Promise<BulkJobDto> {
    return this.jobs.create(sessionId, body, idempotencyKey, traceId);
  }

  @Get()
  @ApiOperation({ summary: "The session's bulk jobs, newest first" })
  @ApiOkResponse({ type: BulkJobDto, isArray: true })
  list(@Param('id') sessionId: string, @Query() query: ListBulkJobsQueryDto): Promise<BulkJobDto[]> {
    return this.jobs.list(sessionId, query);
  }

  @Get(':jobId')
  @ApiOperation({
    summary: 'Status and progress of a bulk job (seed 002 GET /jobs/:jobId)',
    description: "total, currentIndex, successCount, errorCount, and the job's messages by delivery status.",
  })
  @ApiOkResponse({ type: BulkJobDto })
  get(@Param('id') sessionId: string, @Param('jobId') jobId: string): Promise<BulkJobDto> {
    return this.jobs.get(sessionId, jobId);
  }

  @Post(':jobId/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel a bulk job (seed 002 POST /jobs/:jobId/cancel)',
    description: 'No further item is sent; a message being sent at that moment may still go out. Cancelling a cancelled job answers it again.',
  })
  @ApiOkResponse({ type: BulkJobDto })
  @ApiConflictResponse({ type: ErrorEnvelopeDto, description: 'CONFLICT: the job completed or failed already' })
  cancel(@Param('id') sessionId: string, @Param('jobId') jobId: string): Promise<BulkJobDto> {
    return this.jobs.cancel(sessionId, jobId);
  }
}
