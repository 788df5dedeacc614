import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/client';
import { PrismaService } from '../prisma.service';
import type { ChatSummary, HistoryFilter, HistoryMessage, HistoryPage, HistoryParty, HistoryStats } from './history-message.record';

const SELECT = {
  sessionId: true,
  waMessageId: true,
  chatJid: true,
  senderJid: true,
  direction: true,
  type: true,
  text: true,
  caption: true,
  mimeType: true,
  fileName: true,
  quotedId: true,
  mentions: true,
  pushName: true,
  sentAt: true,
} as const;

const GROUP_SUFFIX = '@g.us';

/** Messages this party wrote: every stored message carries its writer's JID (own number on outbound ones). */
const sentBy = (party: HistoryParty): Prisma.MessageWhereInput => ({ senderJid: party.jid });

/** Messages addressed to this party: a group's chat, or a user's chat (outbound) or own number (inbound). */
function sentTo(party: HistoryParty): Prisma.MessageWhereInput {
  if (party.isGroup) return { chatJid: party.jid };
  const toOwnNumber: Prisma.MessageWhereInput[] = party.phone
    ? [{ direction: 'inbound', session: { phone: party.phone }, NOT: { chatJid: { endsWith: GROUP_SUFFIX } } }]
    : [];
  return { OR: [{ direction: 'outbound', chatJid: party.jid }, ...toOwnNumber] };
}

function whereOf(filter: HistoryFilter): Prisma.MessageWhereInput {
  const and: Prisma.MessageWhereInput[] = [];
  if (filter.userId !== undefined) and.push({ session: { userId: filter.userId } });
  if (filter.sessionId) and.push({ sessionId: filter.sessionId });
  if (filter.chatJid) and.push({ chatJid: filter.chatJid });
  if (filter.direction) and.push({ direction: filter.direction });
  if (filter.from || filter.to) and.push({ sentAt: { gte: filter.from, lt: filter.to } });
  const { sender, receiver } = filter;
  if (sender && receiver && filter.bothWays) {
    and.push({ OR: [{ AND: [sentBy(sender), sentTo(receiver)] }, { AND: [sentBy(receiver), sentTo(sender)] }] });
  } else {
    if (sender) and.push(sentBy(sender));
    if (receiver) and.push(sentTo(receiver));
  }
  return { AND: and };
}

/**
 * Chat history (seed 002): what sessions received and sent, stored only while the device's number
 * is allowed (the callers check), once per WhatsApp message id.
 */
@Injectable()
export class MessageHistoryRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Stores the message unless the session has it already (or was deleted meanwhile); true when it was new. */
  async store(message: HistoryMessage): Promise<boolean> {
    try {
      const { count } = await this.prisma.message.createMany({ data: [message], skipDuplicates: true });
      return count === 1;
    } catch (error) {
      // P2003: the session row is gone (deleted after the message arrived); there is no history to add to.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003') return false;
      throw error;
    }
  }

  /** One chat, newest first, older than the message `before` (a WhatsApp id) when given; null when that cursor is unknown. */
  async chatMessages(sessionId: string, chatJid: string, before: string | undefined, limit: number): Promise<HistoryMessage[] | null> {
    let older: Prisma.MessageWhereInput = {};
    if (before) {
      const cursor = await this.prisma.message.findUnique({
        where: { sessionId_waMessageId: { sessionId, waMessageId: before } },
        select: { id: true, sentAt: true },
      });
      if (!cursor) return null;
      older = { OR: [{ sentAt: { lt: cursor.sentAt } }, { sentAt: cursor.sentAt, id: { lt: cursor.id } }] };
    }
    return this.prisma.message.findMany({
      where: { AND: [{ sessionId, chatJid }, older] },
      orderBy: [{ sentAt: 'desc' }, { id: 'desc' }],
      take: limit,
      select: SELECT,
    });
  }

  /** Chats of a session with messages in [from, to), most recent first (seed 002 daily chat list). */
  async chatsBetween(
    sessionId: string,
    window: { from: Date; to: Date; includeGroups: boolean },
    page: { offset: number; limit: number },
  ): Promise<{ chats: ChatSummary[]; total: number }> {
    const groupPattern = `%${GROUP_SUFFIX}`;
    const [rows, [count]] = await Promise.all([
      this.prisma.$queryRaw<ChatRow[]>`
        SELECT chat_jid,
               count(*)::int AS message_count,
               (count(*) FILTER (WHERE direction = 'inbound'))::int AS inbound_count,
               min(sent_at) AS first_message_at,
               max(sent_at) AS last_message_at,
               (array_agg(coalesce(text, caption) ORDER BY sent_at DESC, id DESC))[1] AS last_text,
               (array_agg(push_name ORDER BY sent_at DESC, id DESC) FILTER (WHERE push_name IS NOT NULL))[1] AS push_name
        FROM messages
        WHERE session_id = ${sessionId} AND sent_at >= ${window.from} AND sent_at < ${window.to}
          AND (${window.includeGroups} OR chat_jid NOT LIKE ${groupPattern})
        GROUP BY chat_jid
        ORDER BY last_message_at DESC, chat_jid
        LIMIT ${page.limit} OFFSET ${page.offset}`,
      this.prisma.$queryRaw<{ total: number }[]>`
        SELECT count(DISTINCT chat_jid)::int AS total FROM messages
        WHERE session_id = ${sessionId} AND sent_at >= ${window.from} AND sent_at < ${window.to}
          AND (${window.includeGroups} OR chat_jid NOT LIKE ${groupPattern})`,
    ]);
    const chats = rows.map((row) => ({
      chatJid: row.chat_jid,
      isGroup: row.chat_jid.endsWith(GROUP_SUFFIX),
      messageCount: row.message_count,
      inboundCount: row.inbound_count,
      outboundCount: row.message_count - row.inbound_count,
      firstMessageAt: row.first_message_at,
      lastMessageAt: row.last_message_at,
      lastText: row.last_text,
      pushName: row.push_name,
    }));
    return { chats, total: count?.total ?? 0 };
  }

  /** Filtered history across sessions (seed 002 history/filtered, conversation, messages by number). */
  async search(filter: HistoryFilter, page: HistoryPage): Promise<{ items: HistoryMessage[]; total: number }> {
    const where = whereOf(filter);
    const [items, total] = await Promise.all([
      this.prisma.message.findMany({
        where,
        orderBy: [{ sentAt: page.order }, { id: page.order }],
        skip: page.offset,
        take: page.limit,
        select: SELECT,
      }),
      this.prisma.message.count({ where }),
    ]);
    return { items, total };
  }

  /** Seed 002 message stats over the filtered history. */
  async stats(filter: HistoryFilter): Promise<HistoryStats> {
    const where = whereOf(filter);
    const [groups, chats, span] = await Promise.all([
      this.prisma.message.groupBy({ by: ['direction', 'type'], where, _count: { _all: true } }),
      this.prisma.message.groupBy({ by: ['sessionId', 'chatJid'], where }),
      this.prisma.message.aggregate({ where, _min: { sentAt: true }, _max: { sentAt: true } }),
    ]);
    const stats: HistoryStats = { total: 0, inbound: 0, outbound: 0, byType: {}, chats: chats.length, firstAt: span._min.sentAt, lastAt: span._max.sentAt };
    for (const group of groups) {
      const count = group._count._all;
      stats.total += count;
      stats[group.direction] += count;
      stats.byType[group.type] = (stats.byType[group.type] ?? 0) + count;
    }
    return stats;
  }
}

interface ChatRow {
  chat_jid: string;
  message_count: number;
  inbound_count: number;
  first_message_at: Date;
  last_message_at: Date;
  last_text: string | null;
  push_name: string | null;
}
