import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { LIVE_EVENT_NAMES, SESSION_ID_PATTERN, type LiveEventName } from '@app/contracts';
import { STREAM_ID_PATTERN } from '../live-event.frames';

/** `a,b` or `?x=a&x=b` (or both): one list, blanks dropped. */
const ToList = () =>
  Transform(({ value }: { value: unknown }) => {
    const items: unknown[] = Array.isArray(value) ? value : [value];
    return items
      .flatMap((item) => (typeof item === 'string' ? item.split(',') : [item]))
      .map((item) => (typeof item === 'string' ? item.trim() : item))
      .filter((item) => item !== '');
  });

export class LiveEventsQueryDto {
  @ApiPropertyOptional({
    type: [String],
    description: 'Only these sessions (repeat the parameter or separate with commas); default: every session the caller may see',
    example: ['support-bot'],
  })
  @IsOptional()
  @ToList()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(SESSION_ID_PATTERN, { each: true, message: 'each sessionId must be 3-50 letters, digits, _ or -' })
  sessionId?: string[];

  @ApiPropertyOptional({
    enum: LIVE_EVENT_NAMES,
    isArray: true,
    description: 'Only these events (repeat the parameter or separate with commas); default: all',
  })
  @IsOptional()
  @ToList()
  @IsArray()
  @IsIn(LIVE_EVENT_NAMES, { each: true, message: `each event must be one of ${LIVE_EVENT_NAMES.join(', ')}` })
  event?: LiveEventName[];

  @ApiPropertyOptional({ description: 'A ticket from POST /events/tickets, for EventSource, which cannot send credential headers; works once' })
  @IsOptional()
  @IsString()
  ticket?: string;

  @ApiPropertyOptional({
    description: 'Resume after this event id, like the Last-Event-ID header (which wins when both are sent); for clients that cannot set headers',
    example: '1767225600000-0',
  })
  @IsOptional()
  @Matches(STREAM_ID_PATTERN, { message: 'lastEventId must be an event id such as 1767225600000-0' })
  lastEventId?: string;
}

export class EventTicketDto {
  @ApiProperty({ description: 'Pass as `GET /events?ticket=…` within expiresAt; it works once', example: 'wgt_3q2-7wEvl1XyYdY…' })
  ticket!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}
