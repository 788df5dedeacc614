import type { ChatMessage, ChatMessageOrigin, ChatPresence, GroupInfo, InboundMessageEvent, OutboundContent, ParticipantAction } from '@app/contracts';

/** Why a WhatsApp connection closed, in the suite's own terms (the adapter maps Baileys' codes). */
export type CloseReason =
  'logged_out' | 'restart_required' | 'replaced' | 'connection_lost' | 'qr_expired' | 'forbidden' | 'bad_session' | 'unavailable' | 'closed_by_us';

/** The WhatsApp account a session is linked to. */
export interface LinkedAccount {
  jid: string;
  phone: string;
  name: string | null;
}

/** One message to send, with its id fixed in advance (every attempt sends the same message). */
export interface OutgoingMessage {
  to: string;
  messageId: string;
  content: OutboundContent;
  /** The bytes of media content. */
  media?: Buffer;
}

export type ReceiptStatus = 'delivered' | 'read';

/** A received message as the adapter sees it (the session adds its id and trace). */
export type ReceivedMessage = Omit<InboundMessageEvent, 'sessionId' | 'traceId'>;

/** A message of a chat as the connection saw it; `sentHere`: sent by this very connection (the session's outbox). */
export interface SeenMessage extends ChatMessage {
  sentHere: boolean;
}

/** Messages of chats the connection learnt of at once: live traffic, a history sync, an on-demand answer. */
export interface HistoryBatch {
  origin: ChatMessageOrigin;
  messages: SeenMessage[];
  /** The session's own number. */
  ownPhone: string;
  /** The history sync that follows linking is complete (or took place before this connection). */
  syncComplete: boolean;
  /** On-demand answers: the id of the request they answer, when WhatsApp says. */
  requestId: string | null;
}

/** The message older messages are fetched before (the oldest one known of the chat). */
export interface HistoryAnchor {
  waMessageId: string;
  fromMe: boolean;
  sentAt: string;
}

/** What a connection reports to its session. */
export interface ConnectionListener {
  onQr(qr: string): void;
  onOpen(account: LinkedAccount): void;
  onClose(reason: CloseReason, detail: string): void;
  /** A write of auth state failed; a StaleLeaseError means another worker owns the session now. */
  onStorageFailure(error: Error): void;
  /** A recipient's phone confirmed delivery or reading of a message this session sent. */
  onReceipt(messageId: string, status: ReceiptStatus): void;
  /** Someone sent the session a message. */
  onMessage(message: ReceivedMessage): void;
  /** Chat messages seen (both directions) and history WhatsApp sent (seed 002 chat history). */
  onHistory(batch: HistoryBatch): void;
}

/** One key write of a session's auth state: a decoded value, or null to delete the key. */
export interface KeyWrite {
  type: string;
  id: string;
  value: unknown;
}

/** How auth-state values are stored: JSON text in the form the WhatsApp library can decode again. */
export interface AuthValueCodec {
  encode(value: unknown): string;
  decode(json: string): unknown;
}

/** Where a session's auth state lives (PostgreSQL, fenced by the lease epoch); values are decoded. */
export interface AuthStore {
  loadCreds(): Promise<unknown>;
  saveCreds(creds: unknown): Promise<void>;
  getKeys(type: string, ids: string[]): Promise<Map<string, unknown>>;
  writeKeys(writes: KeyWrite[]): Promise<void>;
}

/** WhatsApp refused a request (an iq error) or did not answer it; `status` is WhatsApp's code (401, 403, 404, 408…). */
export class WhatsAppRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'WhatsAppRequestError';
  }
}

/** Group operations of the session's account (seed 002); failures are WhatsAppRequestErrors. */
export interface GroupOperations {
  create(subject: string, participantJids: string[]): Promise<GroupInfo>;
  metadata(groupJid: string): Promise<GroupInfo>;
  participating(): Promise<GroupInfo[]>;
  /** WhatsApp's status per requested JID (200 when changed). */
  updateParticipants(groupJid: string, participantJids: string[], action: ParticipantAction): Promise<Array<{ jid: string; status: number }>>;
  inviteCode(groupJid: string): Promise<string>;
  revokeInvite(groupJid: string): Promise<string>;
}

/** One live connection of one session to WhatsApp. */
export interface WhatsAppConnection {
  /** Whether the session's credentials belong to a linked device. */
  readonly linked: boolean;
  requestPairingCode(phone: string): Promise<string>;
  /** Hands a message to WhatsApp; resolves once the server accepted it. */
  send(message: OutgoingMessage): Promise<void>;
  /** Shows or clears "typing…" in a chat. */
  sendPresence(chatJid: string, state: ChatPresence): Promise<void>;
  /** Asks the phone for up to `count` messages of the chat older than `anchor`; resolves with the request id (the answer comes as a HistoryBatch). */
  fetchHistory(chatJid: string, count: number, anchor: HistoryAnchor): Promise<string>;
  readonly groups: GroupOperations;
  /** Unlinks the device on WhatsApp, then closes. */
  logout(): Promise<void>;
  /** Closes the socket and keeps the link (hand-over, stop). */
  close(): void;
  /** Whether the socket is closed (a hand-over waits for it, so two never live at once). */
  readonly closed: boolean;
}
