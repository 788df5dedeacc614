import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, SessionScoped } from '../credentials/auth.decorators';
import type { Principal } from '../credentials/principal';
import { ErrorEnvelopeDto } from '../errors/error-envelope.dto';
import { TraceId } from '../http/trace-id.decorator';
import { ChatHistoryQueryDto, DailyChatsQueryDto, HistoryFilterQueryDto, HistorySearchQueryDto } from './history-query.dto';
import { ChatHistoryDto, DailyChatsDto, HistoryPageDto, HistoryStatsDto } from './history-view.dto';
import { HistoryService } from './history.service';

const STORED_ONLY = 'Served from stored history: only messages of allowed numbers (see /allowed-numbers), received or sent since the number was allowed.';

/** Seed 002 chat history and daily chat list of one session. */
@ApiTags('history')
@ApiNotFoundResponse({ type: ErrorEnvelopeDto, description: 'SESSION_NOT_FOUND' })
@Controller('sessions/:id/chats')
@SessionScoped()
export class SessionChatsController {
  constructor(private readonly history: HistoryService) {}

  @Get()
  @ApiOperation({ summary: 'Chats with messages on a day (seed 002 daily chat list)', description: STORED_ONLY })
  @ApiOkResponse({ type: DailyChatsDto })
  daily(@Param('id') sessionId: string, @Query() query: DailyChatsQueryDto): Promise<DailyChatsDto> {
    return this.history.dailyChats(sessionId, query);
  }

  @Get(':jid/messages')
  @ApiOperation({
    summary: 'History of one chat, contact or group (number or JID), newest first, paged by `before` (seed 002)',
    description:
      `\`source=database\` (default): ${STORED_ONLY} \`source=store|server|auto\`: seed 002's live history from the worker holding the session, ` +
      "every message its connection saw or WhatsApp synced (allowed numbers or not; the phone's own messages too), in memory on that worker. " +
      '503 SESSION_NOT_READY (with Retry-After) when no worker holds the session (and for `server` when it is not connected).',
  })
  @ApiOkResponse({ type: ChatHistoryDto })
  chat(@Param('id') sessionId: string, @Param('jid') jid: string, @Query() query: ChatHistoryQueryDto, @TraceId() traceId: string): Promise<ChatHistoryDto> {
    return this.history.chat(sessionId, jid, query, traceId);
  }
}

/** Seed 002 reporting across the caller's sessions (admins: everyone's). */
@ApiTags('history')
@Controller('messages')
export class MessageHistoryController {
  constructor(private readonly history: HistoryService) {}

  @Get()
  @ApiOperation({
    summary: 'Filtered message history of your sessions, paginated (by session, sender, receiver, chat, day or time range)',
    description: STORED_ONLY,
  })
  @ApiOkResponse({ type: HistoryPageDto })
  search(@CurrentPrincipal() principal: Principal, @Query() query: HistorySearchQueryDto): Promise<HistoryPageDto> {
    return this.history.search(principal, query);
  }

  @Get('stats')
  @ApiOperation({ summary: 'Message counts of your sessions: total, by direction and type, chats (same filters as GET /messages)', description: STORED_ONLY })
  @ApiOkResponse({ type: HistoryStatsDto })
  stats(@CurrentPrincipal() principal: Principal, @Query() query: HistoryFilterQueryDto): Promise<HistoryStatsDto> {
    return this.history.stats(principal, query);
  }
}
