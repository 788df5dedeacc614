import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { CHAT_HISTORY_SOURCES, SESSION_ID_PATTERN, type ChatHistorySource } from '@app/contracts';
import { PageLimit, PageOffset, QueryInteger } from '../http/pagination.decorators';
import { toBoolean } from '../http/text-boolean.transform';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day in a time zone, as the seed 002 routes take dates. */
class DayFields {
  @ApiPropertyOptional({ example: 'Asia/Jakarta', default: 'UTC', description: 'IANA time zone the date is a day of' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  timezone?: string;
}

/** Seed 002 daily chat list. */
export class DailyChatsQueryDto extends DayFields {
  @ApiProperty({ example: '2026-11-21', description: 'YYYY-MM-DD' })
  @Matches(DATE, { message: 'date must be YYYY-MM-DD' })
  date!: string;

  @ApiPropertyOptional({ default: false, description: 'Include group chats' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeGroups?: boolean;

  @PageLimit({ default: 100, maximum: 1000 })
  limit?: number;

  @PageOffset()
  offset?: number;
}

/** Seed 002 chat history of a contact or group. */
export class ChatHistoryQueryDto {
  @ApiPropertyOptional({
    example: '3EB0A1B2C3D4E5F6A7B8C9',
    description: 'Cursor: only messages older than this WhatsApp message id (`nextCursor` of the previous page)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  before?: string;

  @PageLimit({ default: 50, maximum: 100 })
  limit?: number;

  @ApiPropertyOptional({
    enum: CHAT_HISTORY_SOURCES,
    default: 'database',
    description:
      "`database`: the stored history (allowed numbers only, works with the session offline). Seed 002's live history from the worker holding the session: " +
      "`store` what its connection has seen (both directions, the phone's own messages, the history sync after linking); `server` that, after waiting for " +
      'the history sync, plus older messages WhatsApp is asked for when the page is not full (needs a connected session); `auto` server when connected, else store.',
  })
  @IsOptional()
  @IsIn(CHAT_HISTORY_SOURCES)
  source?: ChatHistorySource;

  @QueryInteger({
    default: 5,
    minimum: 0,
    maximum: 60,
    example: 10,
    description: "Live sources: seconds to wait for the history sync after linking and for WhatsApp's on-demand answer",
  })
  waitSeconds?: number;
}

/** Seed 002 message stats, filtered history, conversation between two numbers, messages by number. */
export class HistoryFilterQueryDto extends DayFields {
  @ApiPropertyOptional({ example: 'support-bot', description: 'Only this session (of yours)' })
  @IsOptional()
  @Matches(SESSION_ID_PATTERN, { message: 'sessionId must be 3-50 letters, digits, _ or -' })
  sessionId?: string;

  @ApiPropertyOptional({ description: 'Admins: only sessions of this user (others always see their own only)' })
  @IsOptional()
  @IsString()
  userId?: string;

  @ApiPropertyOptional({ example: '6281234567890', description: "Written by this number or JID (a contact, or a session's own number for sent messages)" })
  @IsOptional()
  @IsString()
  @Length(3, 100)
  sender?: string;

  @ApiPropertyOptional({ example: '6289876543210', description: 'Addressed to this number, JID or group' })
  @IsOptional()
  @IsString()
  @Length(3, 100)
  receiver?: string;

  @ApiPropertyOptional({ default: false, description: 'With sender and receiver: the conversation between the two, both directions (seed 002 conversation)' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  bothWays?: boolean;

  @ApiPropertyOptional({ example: '6289876543210@s.whatsapp.net', description: 'Only this chat (contact or group)' })
  @IsOptional()
  @IsString()
  @Length(3, 100)
  chat?: string;

  @ApiPropertyOptional({ enum: ['inbound', 'outbound'] })
  @IsOptional()
  @IsIn(['inbound', 'outbound'])
  direction?: 'inbound' | 'outbound';

  @ApiPropertyOptional({ example: '2026-11-21', description: 'One day (YYYY-MM-DD, in `timezone`); or use from/to' })
  @IsOptional()
  @Matches(DATE, { message: 'date must be YYYY-MM-DD' })
  date?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00+07:00', description: 'From this time (ISO 8601, inclusive)' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00+07:00', description: 'Until this time (ISO 8601, exclusive)' })
  @IsOptional()
  @IsISO8601()
  to?: string;
}

export class HistorySearchQueryDto extends HistoryFilterQueryDto {
  @QueryInteger({ default: 1, minimum: 1 })
  page?: number;

  @PageLimit({ default: 20, maximum: 100 })
  pageSize?: number;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc', description: 'By time sent' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
}
