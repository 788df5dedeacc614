import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AcceptsSessionToken, SessionScoped } from '../credentials/auth.decorators';
import { ErrorEnvelopeDto } from '../errors/error-envelope.dto';
import { TraceId } from '../http/trace-id.decorator';
import { IdempotencyKey, Idempotent } from '../idempotency/idempotent.decorator';
import { CreateScheduleDto, ListSchedulesQueryDto, ScheduleDto } from './dto/schedule.dto';
import { SchedulesService } from './schedules.service';

/**
 * Seed 002's `POST /devices/:deviceId/schedule-message`, persisted (002 kept schedules in memory
 * and lost them on restart), with list and cancel.
 */
@ApiTags('schedules')
@ApiNotFoundResponse({ type: ErrorEnvelopeDto, description: 'SESSION_NOT_FOUND or SCHEDULE_NOT_FOUND' })
@Controller('sessions/:id/schedules')
@SessionScoped()
@AcceptsSessionToken()
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Post()
  @Idempotent()
  @ApiOperation({
    summary: 'Schedule a text or media message (seed 002 schedule-message, persisted)',
    description:
      'Stored in PostgreSQL and sent by the scheduler within a second of its time, also across restarts of any process, ' +
      'exactly once. Media are fetched and stored now. Times in the past → 400 naming `scheduleTime`; unknown zones → 400 naming `timezone`.',
  })
  @ApiCreatedResponse({ type: ScheduleDto })
  create(
    @Param('id') sessionId: string,
    @Body() body: CreateScheduleDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @TraceId() traceId: string,
  ): Promise<ScheduleDto> {
    return this.schedules.create(sessionId, body, idempotencyKey, traceId);
  }

  @Get()
  @ApiOperation({ summary: "The session's scheduled messages, soonest first (filter by status)" })
  @ApiOkResponse({ type: ScheduleDto, isArray: true })
  list(@Param('id') sessionId: string, @Query() query: ListSchedulesQueryDto): Promise<ScheduleDto[]> {
    return this.schedules.list(sessionId, query);
  }

  @Get(':scheduleId')
  @ApiOperation({ summary: "A scheduled message, with its message's delivery status once sent" })
  @ApiOkResponse({ type: ScheduleDto })
  get(@Param('id') sessionId: string, @Param('scheduleId') scheduleId: string): Promise<ScheduleDto> {
    return this.schedules.get(sessionId, scheduleId);
  }

  @Delete(':scheduleId')
  @ApiOperation({ summary: 'Cancel a pending scheduled message', description: 'Cancelling a cancelled one answers it again.' })
  @ApiOkResponse({ type: ScheduleDto })
  @ApiConflictResponse({ type: ErrorEnvelopeDto, description: 'CONFLICT: sent, failed, or being sent right now' })
  cancel(@Param('id') sessionId: string, @Param('scheduleId') scheduleId: string): Promise<ScheduleDto> {
    return this.schedules.cancel(sessionId, scheduleId);
  }
}
