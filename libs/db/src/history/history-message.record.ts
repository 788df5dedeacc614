export type MessageDirection = 'inbound' | 'outbound';

/** One stored message of a session's chat history (seed 002). */
export interface HistoryMessage {
  sessionId: string;
  waMessageId: string;
  chatJid: string;
  /** Who wrote it: the contact (inbound) or the session's own number (outbound). */
  senderJid: string | null;
  direction: MessageDirection;
  /** text, image, video, audio, document, sticker, location, contact, reaction, other. */
  type: string;
  text: string | null;
  caption: string | null;
  mimeType: string | null;
  fileName: string | null;
  quotedId: string | null;
  mentions: string[];
  pushName: string | null;
  sentAt: Date;
}

/** A party of a conversation: a user (by JID and phone) or a group. */
export interface HistoryParty {
  jid: string;
  /** Digits of a user addressed by phone number; null for groups and LIDs. */
  phone: string | null;
  isGroup: boolean;
}

export interface HistoryFilter {
  /** Only sessions of this user (the caller's scope); undefined = every user's (admins). */
  userId?: string;
  sessionId?: string;
  chatJid?: string;
  sender?: HistoryParty;
  receiver?: HistoryParty;
  /** With sender and receiver: the conversation between them, both directions. */
  bothWays?: boolean;
  direction?: MessageDirection;
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

export interface HistoryPage {
  offset: number;
  limit: number;
  order: 'asc' | 'desc';
}

/** One chat with activity in a time window (seed 002 daily chat list). */
export interface ChatSummary {
  chatJid: string;
  isGroup: boolean;
  messageCount: number;
  inboundCount: number;
  outboundCount: number;
  firstMessageAt: Date;
  lastMessageAt: Date;
  lastText: string | null;
  /** The contact's WhatsApp name as last seen in the window. */
  pushName: string | null;
}

export interface HistoryStats {
  total: number;
  inbound: number;
  outbound: number;
  byType: Record<string, number>;
  chats: number;
  firstAt: Date | null;
  lastAt: Date | null;
}
