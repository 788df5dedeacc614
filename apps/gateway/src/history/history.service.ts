import { Injectable } from '@nestjs/common';
import { GatewayConfig } from '@app/config';
import { AppError, WORKER_COMMANDS, type LiveHistorySource } from '@app/contracts';
import { MessageHistoryRepository, type HistoryFilter, type HistoryParty } from '@app/db';
import { normalizeRecipient } from '@app/recipients';
import { SessionLeaseRepository } from '@app/redis';
import { SessionCommandRouter } from '@app/transport';
import { isAdmin, type Principal } from '../credentials/principal';
import { dayWindow } from './day-window';
import type { ChatHistoryQueryDto, DailyChatsQueryDto, HistoryFilterQueryDto, HistorySearchQueryDto } from './history-query.dto';
import {
  ChatHistoryDto,
  ChatMessageDto,
  ChatSummaryDto,
  HistoryMessageDto,
  HistoryStatsDto,
  type DailyChatsDto,
  type HistoryPageDto,
} from './history-view.dto';

/** Time for the worker's answer on top of the wait it was given. */
const ANSWER_MARGIN_MS = 5_000;

/**
 * Reading stored history (seed 002). Only what the allowed-number gate let in is there; the
 * session-scoped routes are checked by the guard, the cross-session ones filter by the caller.
 */
@Injectable()
export class HistoryService {
  constructor(
    private readonly history: MessageHistoryRepository,
    private readonly leases: SessionLeaseRepository,
    private readonly router: SessionCommandRouter,
    private readonly config: GatewayConfig,
  ) {}

  async chat(sessionId: string, chat: string, query: ChatHistoryQueryDto, traceId: string): Promise<ChatHistoryDto> {
    const chatJid = this.party(chat, 'jid').jid;
    const limit = query.limit ?? 50;
    const source = query.source ?? 'database';
    if (source !== 'database') return this.live(sessionId, chatJid, source, { limit, before: query.before, waitMs: (query.waitSeconds ?? 5) * 1000 }, traceId);
    const messages = await this.history.chatMessages(sessionId, chatJid, query.before, limit);
    if (!messages) throw new AppError('NOT_FOUND', `Message ${query.before} is not in the history of session ${sessionId}`);
    const nextCursor = messages.length === limit ? messages[messages.length - 1].waMessageId : null;
    return { chatJid, source, messages: messages.map(ChatMessageDto.fromStored), nextCursor };
  }

  /** Seed 002's live history: asked of the worker holding the session, where it lives. */
  private async live(
    sessionId: string,
    chatJid: string,
    source: LiveHistorySource,
    page: { limit: number; before?: string; waitMs: number },
    traceId: string,
  ): Promise<ChatHistoryDto> {
    const notHeld = new AppError(
      'SESSION_NOT_READY',
      `No worker holds session ${sessionId} now (it is not connected): its live history is not available; source=database reads the stored one`,
    );
    if (!(await this.leases.ownerOf(sessionId))) throw notHeld;
    try {
      const answer = await this.router.send(
        sessionId,
        WORKER_COMMANDS.chatHistory,
        { sessionId, chatJid, source, ...page, traceId },
        page.waitMs + ANSWER_MARGIN_MS,
      );
      return { ...answer, messages: answer.messages.map((message) => ChatMessageDto.fromLive(sessionId, message)) };
    } catch (error) {
      // The holder let go between the lookup and the command.
      if (error instanceof AppError && error.code === 'WORKER_NOT_OWNER') throw notHeld;
      throw error;
    }
  }

  async dailyChats(sessionId: string, query: DailyChatsQueryDto): Promise<DailyChatsDto> {
    const timezone = query.timezone ?? 'UTC';
    const window = { ...dayWindow(query.date, timezone), includeGroups: query.includeGroups ?? false };
    const { chats, total } = await this.history.chatsBetween(sessionId, window, { offset: query.offset ?? 0, limit: query.limit ?? 100 });
    return { date: query.date, timezone, total, chats: chats.map(ChatSummaryDto.from) };
  }

  async search(principal: Principal, query: HistorySearchQueryDto): Promise<HistoryPageDto> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const { items, total } = await this.history.search(this.filter(principal, query), {
      offset: (page - 1) * pageSize,
      limit: pageSize,
      order: query.order ?? 'desc',
    });
    return { items: items.map(HistoryMessageDto.from), page, pageSize, total, totalPages: Math.ceil(total / pageSize) };
  }

  async stats(principal: Principal, query: HistoryFilterQueryDto): Promise<HistoryStatsDto> {
    return HistoryStatsDto.from(await this.history.stats(this.filter(principal, query)));
  }

  private filter(principal: Principal, query: HistoryFilterQueryDto): HistoryFilter {
    const range = query.date ? dayWindow(query.date, query.timezone) : { from: dateOf(query.from), to: dateOf(query.to) };
    return {
      // Tenancy: users see their own sessions' history only, whatever else they ask for.
      userId: isAdmin(principal) ? query.userId : (principal.userId ?? undefined),
      sessionId: query.sessionId,
      chatJid: query.chat ? this.party(query.chat, 'chat').jid : undefined,
      sender: query.sender ? this.party(query.sender, 'sender') : undefined,
      receiver: query.receiver ? this.party(query.receiver, 'receiver') : undefined,
      bothWays: query.bothWays,
      direction: query.direction,
      ...range,
    };
  }

  private party(input: string, field: string): HistoryParty {
    try {
      const recipient = normalizeRecipient(input, this.config.DEFAULT_COUNTRY_CODE);
      return { jid: recipient.jid, phone: recipient.phone ?? null, isGroup: recipient.kind === 'group' };
    } catch (error) {
      throw new AppError('INVALID_PAYLOAD', `${field}: ${(error as Error).message}`);
    }
  }
}

const dateOf = (value: string | undefined): Date | undefined => (value ? new Date(value) : undefined);
