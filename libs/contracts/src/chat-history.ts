import type { InboundKind } from './events';
import type { SessionRequest } from './worker-rpc';

/**
 * Where `GET /sessions/{id}/chats/{jid}/messages` reads from: `database` is the stored history
 * behind the allowed-numbers gate; the others are seed 002's live history, from the worker
 * holding the session: `store` what its connection has seen, `server` that plus what WhatsApp
 * adds (history sync, on-demand fetch of older messages), `auto` server when connected, else store.
 */
export const CHAT_HISTORY_SOURCES = ['database', 'auto', 'server', 'store'] as const;
export type ChatHistorySource = (typeof CHAT_HISTORY_SOURCES)[number];
export type LiveHistorySource = Exclude<ChatHistorySource, 'database'>;

/** How the worker came to know a message: live traffic, the history sync at linking, or an on-demand fetch. */
export const CHAT_MESSAGE_ORIGINS = ['live', 'history-sync', 'on-demand'] as const;
export type ChatMessageOrigin = (typeof CHAT_MESSAGE_ORIGINS)[number];

/** One message of a chat as a session's connection saw it (either direction; the phone's own included). */
export interface ChatMessage {
  waMessageId: string;
  /** The contact's JID, or the group's. */
  chatJid: string;
  /** Who wrote it (the session's own JID for its messages); null when WhatsApp did not say. */
  senderJid: string | null;
  /** Written by the session's account: sent by the session, typed on the phone, or by another linked device. */
  fromMe: boolean;
  kind: InboundKind;
  text: string | null;
  caption: string | null;
  mimeType: string | null;
  fileName: string | null;
  quotedMessageId: string | null;
  mentions: string[];
  pushName: string | null;
  sentAt: string;
  origin: ChatMessageOrigin;
}

/** `session.chat-history`: one page of a chat, newest first, older than `before` when given. */
export interface ChatHistoryRequest extends SessionRequest {
  chatJid: string;
  limit: number;
  before?: string;
  source: LiveHistorySource;
  /** How long the worker may wait for the initial history sync and for on-demand answers. */
  waitMs: number;
}

export interface ChatHistoryPage {
  chatJid: string;
  /** What answered: `server` (connected, WhatsApp asked when needed) or `store`. */
  source: 'server' | 'store';
  messages: ChatMessage[];
  nextCursor: string | null;
  /** Whether the history sync WhatsApp sends after linking has arrived (or happened before this connection). */
  initialSyncComplete: boolean;
  /** Messages WhatsApp added on demand for this page. */
  fetchedOnDemand: number;
}

/**
 * Published on QUEUES.inboundMessages as JOBS.messageSentFromPhone for a message the session's
 * account wrote elsewhere (typed on the phone, another linked device): it joins the stored history
 * behind the allowed-numbers gate like the session's own sends. Job id `<sessionId>.<waMessageId>`.
 */
export interface PhoneSentMessageEvent {
  sessionId: string;
  /** The session's own number (the allowed-numbers gate is keyed by it). */
  ownPhone: string;
  message: ChatMessage;
  traceId: string;
}
