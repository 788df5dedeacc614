import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHAT_MESSAGE_ORIGINS, type ChatHistoryPage, type ChatMessage } from '@app/contracts';
import type { ChatSummary, HistoryMessage, HistoryStats } from '@app/db';

export class HistoryMessageDto {
  @ApiProperty({ example: 'support-bot' }) sessionId!: string;
  @ApiProperty({ example: '3EB0A1B2C3D4E5F6A7B8C9' }) waMessageId!: string;
  @ApiProperty({ example: '6289876543210@s.whatsapp.net' }) chatJid!: string;
  @ApiProperty({ example: '6289876543210@s.whatsapp.net', nullable: true, type: String }) senderJid!: string | null;
  @ApiProperty({ enum: ['inbound', 'outbound'] }) direction!: string;
  @ApiProperty({ example: 'text', description: 'text, image, video, audio, document, sticker, location, contact, reaction, other' }) type!: string;
  @ApiProperty({ example: 'Halo!', nullable: true, type: String }) text!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) caption!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) mimeType!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) fileName!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'WhatsApp id of the quoted message' }) quotedId!: string | null;
  @ApiProperty({ type: [String], example: [] }) mentions!: string[];
  @ApiProperty({ example: 'Budi', nullable: true, type: String }) pushName!: string | null;
  @ApiProperty({ example: '2026-11-21T08:00:00.000Z' }) sentAt!: string;

  static from(message: HistoryMessage): HistoryMessageDto {
    return { ...message, sentAt: message.sentAt.toISOString() };
  }
}

const ORIGINS = ['stored', ...CHAT_MESSAGE_ORIGINS] as const;

/** A message of one chat's history, from whichever source answered. */
export class ChatMessageDto extends HistoryMessageDto {
  @ApiProperty({ description: "Written by the session's account (sent by the session, typed on the phone, or another linked device)" }) fromMe!: boolean;
  @ApiProperty({
    enum: ORIGINS,
    description: '`stored` (database), or how the worker came to know it: live traffic, the history sync after linking, an on-demand fetch',
  })
  origin!: (typeof ORIGINS)[number];

  static fromStored(message: HistoryMessage): ChatMessageDto {
    return { ...HistoryMessageDto.from(message), fromMe: message.direction === 'outbound', origin: 'stored' };
  }

  static fromLive(sessionId: string, message: ChatMessage): ChatMessageDto {
    return {
      sessionId,
      waMessageId: message.waMessageId,
      chatJid: message.chatJid,
      senderJid: message.senderJid,
      direction: message.fromMe ? 'outbound' : 'inbound',
      type: message.kind,
      text: message.text,
      caption: message.caption,
      mimeType: message.mimeType,
      fileName: message.fileName,
      quotedId: message.quotedMessageId,
      mentions: message.mentions,
      pushName: message.pushName,
      sentAt: message.sentAt,
      fromMe: message.fromMe,
      origin: message.origin,
    };
  }
}

export class ChatHistoryDto {
  @ApiProperty({ example: '6289876543210@s.whatsapp.net' }) chatJid!: string;
  @ApiProperty({ enum: ['database', 'server', 'store'], description: 'What answered (`auto` answers as server when connected, else store)' })
  source!: 'database' | ChatHistoryPage['source'];
  @ApiProperty({ type: [ChatMessageDto], description: 'Newest first' }) messages!: ChatMessageDto[];
  @ApiProperty({ example: '3EB0A1B2C3D4E5F6A7B8C9', nullable: true, type: String, description: 'Pass as `before` for the next (older) page; null at the end' })
  nextCursor!: string | null;
  @ApiPropertyOptional({ description: 'Live sources: whether the history sync after linking has arrived' })
  initialSyncComplete?: boolean;
  @ApiPropertyOptional({ description: 'Live sources: messages WhatsApp added on demand for this page' })
  fetchedOnDemand?: number;
}

export class ChatSummaryDto {
  @ApiProperty({ example: '6289876543210@s.whatsapp.net' }) chatJid!: string;
  @ApiProperty() isGroup!: boolean;
  @ApiProperty({ example: 12 }) messageCount!: number;
  @ApiProperty({ example: 7 }) inboundCount!: number;
  @ApiProperty({ example: 5 }) outboundCount!: number;
  @ApiProperty({ example: '2026-11-21T01:02:03.000Z' }) firstMessageAt!: string;
  @ApiProperty({ example: '2026-11-21T09:30:00.000Z' }) lastMessageAt!: string;
  @ApiProperty({ example: 'Terima kasih!', nullable: true, type: String }) lastText!: string | null;
  @ApiProperty({ example: 'Budi', nullable: true, type: String }) pushName!: string | null;

  static from(chat: ChatSummary): ChatSummaryDto {
    return { ...chat, firstMessageAt: chat.firstMessageAt.toISOString(), lastMessageAt: chat.lastMessageAt.toISOString() };
  }
}

export class DailyChatsDto {
  @ApiProperty({ example: '2026-11-21' }) date!: string;
  @ApiProperty({ example: 'Asia/Jakarta' }) timezone!: string;
  @ApiProperty({ example: 42, description: 'Chats with messages that day (before limit/offset)' }) total!: number;
  @ApiProperty({ type: [ChatSummaryDto], description: 'Most recent activity first' }) chats!: ChatSummaryDto[];
}

export class HistoryPageDto {
  @ApiProperty({ type: [HistoryMessageDto] }) items!: HistoryMessageDto[];
  @ApiProperty({ example: 1 }) page!: number;
  @ApiProperty({ example: 20 }) pageSize!: number;
  @ApiProperty({ example: 135 }) total!: number;
  @ApiProperty({ example: 7 }) totalPages!: number;
}

export class HistoryStatsDto {
  @ApiProperty({ example: 135 }) total!: number;
  @ApiProperty({ example: 80 }) inbound!: number;
  @ApiProperty({ example: 55 }) outbound!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { text: 120, image: 15 } }) byType!: Record<string, number>;
  @ApiProperty({ example: 18, description: 'Distinct chats (per session)' }) chats!: number;
  @ApiProperty({ example: '2026-11-01T02:00:00.000Z', nullable: true, type: String }) firstAt!: string | null;
  @ApiProperty({ example: '2026-11-21T09:30:00.000Z', nullable: true, type: String }) lastAt!: string | null;

  static from(stats: HistoryStats): HistoryStatsDto {
    return { ...stats, firstAt: stats.firstAt?.toISOString() ?? null, lastAt: stats.lastAt?.toISOString() ?? null };
  }
}
