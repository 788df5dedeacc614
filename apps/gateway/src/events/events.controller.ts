import { Controller, Get, Headers, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppError, LIVE_STREAM_GAP_EVENT, LIVE_STREAM_READY_EVENT } from '@app/contracts';
import { AcceptsSessionToken, AcceptsTicket, CurrentPrincipal, FiltersToTokenSession, ReadOnlySafe } from '../credentials/auth.decorators';
import type { Principal } from '../credentials/principal';
import { EventTicketDto, LiveEventsQueryDto } from './dto/live-events-query.dto';
import { LIVE_EVENT_SCHEMAS, LiveStreamGapDto, LiveStreamReadyDto } from './dto/live-event.dto';
import { EventTicketStore } from './event-ticket.store';
import { LiveEventAccess, SESSION_TOKEN_EVENTS } from './live-event.access';
import { STREAM_ID_PATTERN } from './live-event.frames';
import { LiveEventHub } from './live-event.hub';

const STREAM_DESCRIPTION = `Server-Sent Events (\`text/event-stream\`) of the sessions the caller may see: an owner
their own sessions, an admin every session, a session token its own session's \`${SESSION_TOKEN_EVENTS.join('` and `')}\`.
Filter with \`sessionId\` and \`event\`. Each message is \`id: <event id>\`, \`event: <name>\`, \`data: <JSON>\`; the JSON is the
webhook body of the same event (\`id\`, \`event\`, \`sessionId\`, \`occurredAt\`, \`data\`), schemas below.

- **Resume**: send \`Last-Event-ID\` (EventSource does on reconnect) or \`?lastEventId=\`: the events after it are
  replayed first. Events stay replayable for LIVE_EVENTS_RETENTION_MS (default 1 h, at most LIVE_EVENTS_MAX_LEN
  events); older ones are gone, announced by one \`${LIVE_STREAM_GAP_EVENT}\` message (reload state over REST).
  Once the stream follows live events (at once, or after the replay) it sends \`${LIVE_STREAM_READY_EVENT}\`, whose id is
  the resume point: even a reconnect before the first event misses nothing.
- **Browsers**: EventSource cannot send headers; get a ticket from \`POST /events/tickets\` and open
  \`/events?ticket=…\` (each reconnect needs a new ticket).
- Comments (\`: keep-alive\`) come every LIVE_EVENTS_KEEPALIVE_MS. A client that falls
  LIVE_EVENTS_CLIENT_BUFFER_BYTES behind is disconnected; its reconnect with Last-Event-ID catches up.
- Any gateway replica serves any client: events travel through Redis.`;

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(
    private readonly access: LiveEventAccess,
    private readonly hub: LiveEventHub,
    private readonly tickets: EventTicketStore,
  ) {}

  @Get()
  @AcceptsSessionToken()
  @FiltersToTokenSession()
  @AcceptsTicket()
  @ApiOperation({ summary: 'Live events: session status, QR values, received messages, delivery statuses, bulk-job progress', description: STREAM_DESCRIPTION })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id (EventSource sends it when it reconnects)' })
  @ApiProduces('text/event-stream')
  @ApiExtraModels(...Object.values(LIVE_EVENT_SCHEMAS), LiveStreamGapDto, LiveStreamReadyDto)
  @ApiOkResponse({
    description: `An endless event stream; each message's \`data\` is one of these, by its \`event:\` line (\`${LIVE_STREAM_GAP_EVENT}\`: LiveStreamGapDto, \`${LIVE_STREAM_READY_EVENT}\`: LiveStreamReadyDto)`,
    content: {
      'text/event-stream': {
        // Each message's `event:` line names its schema (anyOf: stream.gap and stream.ready share a shape).
        schema: { anyOf: [...Object.values(LIVE_EVENT_SCHEMAS), LiveStreamGapDto, LiveStreamReadyDto].map((schema) => ({ $ref: getSchemaPath(schema) })) },
      },
    },
  })
  async stream(
    @CurrentPrincipal() principal: Principal,
    @Query() query: LiveEventsQueryDto,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const lastEventId = lastEventIdHeader?.trim() || query.lastEventId || null;
    if (lastEventId !== null && !STREAM_ID_PATTERN.test(lastEventId)) {
      throw new AppError('INVALID_PAYLOAD', 'Last-Event-ID must be an event id such as 1767225600000-0', {
        fields: [{ field: 'Last-Event-ID', problems: ['must be an event id of this stream'] }],
      });
    }
    const filter = await this.access.filterFor(principal, query);
    await this.hub.attach(response, filter, lastEventId);
  }

  @Post('tickets')
  @AcceptsSessionToken()
  @FiltersToTokenSession()
  @ReadOnlySafe()
  @ApiOperation({
    summary: 'A short-lived, single-use ticket for GET /events?ticket=… (for EventSource, which cannot send headers)',
    description: 'The ticket stands for the caller (same sessions, same rights), works once, and expires after LIVE_EVENTS_TICKET_TTL_MS (default 30 s).',
  })
  @ApiCreatedResponse({ type: EventTicketDto })
  async ticket(@CurrentPrincipal() principal: Principal): Promise<EventTicketDto> {
    const issued = await this.tickets.issue(principal);
    return { ticket: issued.ticket, expiresAt: issued.expiresAt.toISOString() };
  }
}
