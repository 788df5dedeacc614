import { AppError, type ChatHistoryPage, type ChatHistoryRequest, type ChatMessage } from '@app/contracts';
import type { HistoryBatch, WhatsAppConnection } from '../whatsapp/whatsapp-connection';
import type { PhoneMessagePublisher } from './phone-message.publisher';
import { SessionChatStore, toChatMessage, type ChatStoreLimits } from './session-chat-store';

/** WhatsApp answers at most this many messages per on-demand request. */
const MAX_ON_DEMAND = 50;

type Query = Omit<ChatHistoryRequest, 'sessionId' | 'traceId'>;
type Waiter = { done: (batch: HistoryBatch | null) => void; accepts: (batch: HistoryBatch) => boolean };

/**
 * Seed 002's chat history of one session held by this worker: what its connections saw (live
 * messages both ways, the history sync after linking, on-demand answers) kept in a SessionChatStore,
 * and paging it with `source=store` (what is held), `server` (waits for the initial sync, asks the
 * phone for older messages when the held ones do not fill the page) or `auto` (server when
 * connected, else store).
 */
export class SessionChatHistory {
  private readonly store: SessionChatStore;
  private syncComplete = false;
  private readonly waiters = new Set<Waiter>();

  /** `phoneMessages` takes what the account wrote on another device (the phone): it goes to the stored history, behind the gate. */
  constructor(
    private readonly sessionId: string,
    limits: ChatStoreLimits,
    private readonly phoneMessages: PhoneMessagePublisher,
  ) {
    this.store = new SessionChatStore(limits);
  }

  record(batch: HistoryBatch): void {
    this.store.add(batch.messages);
    if (batch.origin === 'live') {
      for (const message of batch.messages)
        if (message.fromMe && !message.sentHere) this.phoneMessages.publish(this.sessionId, batch.ownPhone, toChatMessage(message));
    }
    this.syncComplete ||= batch.syncComplete;
    for (const waiter of this.waiters) if (waiter.accepts(batch)) waiter.done(batch);
  }

  /** `connection`: the live connection, or null when the session is not connected. */
  async page(query: Query, connection: WhatsAppConnection | null): Promise<ChatHistoryPage> {
    if (query.source === 'server' && !connection) {
      throw new AppError('SESSION_NOT_READY', 'The session is not connected: WhatsApp cannot be asked (source=store answers from what the worker holds)');
    }
    const deadline = Date.now() + query.waitMs;
    const fromServer = query.source !== 'store' && connection !== null;
    // Without a connection no sync is coming: what is held is all there is.
    if (connection) await this.initialSync(deadline);
    let messages = this.held(query);
    let fetchedOnDemand = 0;
    if (fromServer && messages.length < query.limit) {
      fetchedOnDemand = await this.fetchOlder(connection, query.chatJid, Math.min(MAX_ON_DEMAND, query.limit - messages.length), deadline);
      if (fetchedOnDemand > 0) messages = this.held(query);
    }
    return {
      chatJid: query.chatJid,
      source: fromServer ? 'server' : 'store',
      messages,
      nextCursor: messages.length === query.limit ? messages.at(-1)!.waMessageId : null,
      initialSyncComplete: this.syncComplete,
      fetchedOnDemand,
    };
  }

  private held(query: Query): ChatMessage[] {
    const page = this.store.page(query.chatJid, query.before, query.limit);
    if (!page) throw new AppError('NOT_FOUND', `Message ${query.before} is not among the messages held for ${query.chatJid}`);
    return page;
  }

  /** Waits (until `deadline`) for the history sync that follows linking, unless it is done. */
  private async initialSync(deadline: number): Promise<void> {
    if (!this.syncComplete) await this.next(() => this.syncComplete, deadline);
  }

  /**
   * Asks the phone for older messages before the oldest one held of the chat and waits for its
   * answer (until `deadline`); how many new messages it brought. Without a held message there is
   * nothing to anchor the request on.
   */
  private async fetchOlder(connection: WhatsAppConnection, chatJid: string, count: number, deadline: number): Promise<number> {
    const anchor = this.store.oldest(chatJid);
    if (!anchor || Date.now() >= deadline) return 0;
    const before = this.store.page(chatJid, undefined, Number.MAX_SAFE_INTEGER)?.length ?? 0;
    let requestId: string | null = null;
    const answered = this.next(
      (batch) => batch?.origin === 'on-demand' && (batch.requestId === requestId || batch.messages.some((message) => message.chatJid === chatJid)),
      deadline,
    );
    requestId = await connection.fetchHistory(chatJid, count, { waMessageId: anchor.waMessageId, fromMe: anchor.fromMe, sentAt: anchor.sentAt });
    await answered;
    return (this.store.page(chatJid, undefined, Number.MAX_SAFE_INTEGER)?.length ?? 0) - before;
  }

  /** Resolves with the first batch `accepts` takes (or at once when it takes the state as it is), or null at `deadline`. */
  private next(accepts: (batch: HistoryBatch | null) => boolean, deadline: number): Promise<HistoryBatch | null> {
    if (accepts(null)) return Promise.resolve(null);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        accepts,
        done: (batch) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(batch);
        },
      };
      const timer = setTimeout(() => waiter.done(null), Math.max(0, deadline - Date.now()));
      this.waiters.add(waiter);
    });
  }

  /** A stopped runtime's waiting readers get what is held. */
  stop(): void {
    for (const waiter of this.waiters) waiter.done(null);
  }
}
