import type { ChatMessage } from '@app/contracts';
import type { SeenMessage } from '../whatsapp/whatsapp-connection';

export interface ChatStoreLimits {
  messagesPerChat: number;
  chats: number;
}

/** The message as the API shows it (whether this very connection sent it is the worker's business). */
export const toChatMessage = ({ sentHere: _sentHere, ...message }: SeenMessage): ChatMessage => message;

/**
 * What one session's connection has seen of its chats, in memory on the worker holding it (seed
 * 002's in-memory store): the newest `messagesPerChat` messages of the `chats` most recently
 * active chats, once per message id. A message seen again keeps its first origin.
 */
export class SessionChatStore {
  /** Per chat, newest first. Map order: least recently active chat first. */
  private readonly chats = new Map<string, SeenMessage[]>();

  constructor(private readonly limits: ChatStoreLimits) {}

  /** Adds what is new; returns how many were. */
  add(messages: SeenMessage[]): number {
    let added = 0;
    for (const message of messages) {
      const chat = this.chats.get(message.chatJid) ?? [];
      if (chat.some((known) => known.waMessageId === message.waMessageId)) continue;
      // Newest first; of two in the same second (WhatsApp's resolution) the one seen later first.
      const sentAt = Date.parse(message.sentAt);
      const at = chat.findIndex((known) => Date.parse(known.sentAt) <= sentAt);
      chat.splice(at === -1 ? chat.length : at, 0, message);
      if (chat.length > this.limits.messagesPerChat) chat.length = this.limits.messagesPerChat;
      this.touch(message.chatJid, chat);
      added += 1;
    }
    return added;
  }

  /**
   * Up to `limit` messages of the chat, newest first, older than the message `before` when given;
   * null when that message is not held.
   */
  page(chatJid: string, before: string | undefined, limit: number): ChatMessage[] | null {
    const chat = this.chats.get(chatJid) ?? [];
    const start = before === undefined ? 0 : chat.findIndex((message) => message.waMessageId === before) + 1;
    if (start === 0 && before !== undefined) return null;
    return chat.slice(start, start + limit).map(toChatMessage);
  }

  /** The oldest message held of the chat: where a fetch of older ones is anchored. */
  oldest(chatJid: string): SeenMessage | null {
    return this.chats.get(chatJid)?.at(-1) ?? null;
  }

  private touch(chatJid: string, messages: SeenMessage[]): void {
    this.chats.delete(chatJid);
    this.chats.set(chatJid, messages);
    if (this.chats.size > this.limits.chats) this.chats.delete(this.chats.keys().next().value!);
  }
}
