import {
  getContentType,
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  isLidUser,
  isPnUser,
  jidDecode,
  jidNormalizedUser,
  normalizeMessageContent,
  proto,
  toNumber,
  type AuthenticationCreds,
  type WAMessage,
} from '@whiskeysockets/baileys';
import type makeWASocket from '@whiskeysockets/baileys';
import type { ChatMessageOrigin, InboundKind } from '@app/contracts';
import type { ConnectionListener, HistoryAnchor, SeenMessage } from './whatsapp-connection';

/*
 * The history side of the Baileys adapter (seed 002 chat history): every chat message the socket
 * sees, its own included, WhatsApp's history sync and on-demand answers, and the on-demand request.
 */

type Socket = ReturnType<typeof makeWASocket>;

export const KIND_BY_CONTENT: Partial<Record<keyof proto.IMessage, InboundKind>> = {
  conversation: 'text',
  extendedTextMessage: 'text',
  imageMessage: 'image',
  videoMessage: 'video',
  audioMessage: 'audio',
  documentMessage: 'document',
  documentWithCaptionMessage: 'document',
  stickerMessage: 'sticker',
  locationMessage: 'location',
  liveLocationMessage: 'location',
  contactMessage: 'contact',
  contactsArrayMessage: 'contact',
  reactionMessage: 'reaction',
};

/**
 * When Baileys counts the first sync as done without a history notification having been handled
 * yet (the notification is processed alongside), the batch is given this long to arrive.
 */
const SYNC_SETTLE_MS = 2_000;

const phoneOf = (jid: string | null | undefined): string | null => {
  const decoded = jid ? jidDecode(jid) : undefined;
  return decoded && decoded.server === 's.whatsapp.net' ? decoded.user : null;
};

/** Contacts hidden behind a LID are named by number when WhatsApp gave it, as the API names chats. */
const byNumber = (jid: string | null | undefined, alternative: string | null | undefined): string | null =>
  jid && isLidUser(jid) && alternative && isPnUser(alternative) ? jidNormalizedUser(alternative) : (jid ?? null);

type MessageFields = {
  text?: string | null;
  caption?: string | null;
  mimetype?: string | null;
  fileName?: string | null;
  contextInfo?: proto.IContextInfo | null;
};

/** A chat message the socket saw, in either direction; null for broadcasts, channels and protocol traffic. */
function seenMessageOf(message: WAMessage, creds: AuthenticationCreds, origin: ChatMessageOrigin): SeenMessage | null {
  const { key } = message;
  const content = normalizeMessageContent(message.message);
  const type = getContentType(content);
  if (!key.remoteJid || !key.id || !content || !type || isJidBroadcast(key.remoteJid) || isJidNewsletter(key.remoteJid)) return null;
  if (type === 'protocolMessage' || type === 'senderKeyDistributionMessage') return null;
  const isGroup = !!isJidGroup(key.remoteJid);
  const chatJid = isGroup ? key.remoteJid : byNumber(key.remoteJid, key.remoteJidAlt)!;
  const fromMe = !!key.fromMe;
  const ownJid = creds.me ? jidNormalizedUser(creds.me.id) : null;
  const senderJid = fromMe ? ownJid : isGroup ? byNumber(key.participant, key.participantAlt) : chatJid;
  const inner = content[type] as MessageFields | string | undefined;
  const fields: MessageFields = typeof inner === 'string' ? { text: inner } : (inner ?? {});
  const kind = KIND_BY_CONTENT[type] ?? 'other';
  const timestamp = toNumber(message.messageTimestamp);
  return {
    waMessageId: key.id,
    chatJid,
    senderJid,
    fromMe,
    kind,
    text: kind === 'text' ? (fields.text ?? null) : null,
    caption: kind === 'text' ? null : (fields.caption ?? null),
    mimeType: fields.mimetype ?? null,
    fileName: fields.fileName ?? null,
    quotedMessageId: fields.contextInfo?.stanzaId ?? null,
    mentions: fields.contextInfo?.mentionedJid ?? [],
    pushName: fromMe ? null : (message.pushName ?? null),
    sentAt: new Date(timestamp > 0 ? timestamp * 1000 : Date.now()).toISOString(),
    origin,
    // Baileys emits what this socket sent itself as still pending; the phone's own arrive acknowledged.
    sentHere: fromMe && message.status === proto.WebMessageInfo.Status.PENDING,
  };
}

/**
 * Reports every chat message and history set of the socket to the listener, and when the history
 * sync that follows linking is complete: a set with progress 100, Baileys counting its first sync
 * done (a moment later, for the set handled alongside), or a sync already done before this connection.
 */
export function watchHistory(socket: Socket, creds: AuthenticationCreds, listener: ConnectionListener): void {
  let syncComplete = false;
  let settleTimer: NodeJS.Timeout | undefined;
  const report = (origin: ChatMessageOrigin, messages: WAMessage[], requestId: string | null = null): void => {
    const seen = messages.map((message) => seenMessageOf(message, creds, origin)).filter((message): message is SeenMessage => message !== null);
    listener.onHistory({ origin, messages: seen, ownPhone: phoneOf(creds.me?.id) ?? '', syncComplete, requestId });
  };
  const complete = (): void => {
    clearTimeout(settleTimer);
    if (syncComplete) return;
    syncComplete = true;
    report('history-sync', []);
  };
  socket.ev.on('messages.upsert', ({ messages }) => report('live', messages));
  socket.ev.on('messaging-history.set', ({ messages, syncType, progress, peerDataRequestSessionId }) => {
    if (syncType === proto.HistorySync.HistorySyncType.ON_DEMAND) return report('on-demand', messages, peerDataRequestSessionId ?? null);
    if (progress === 100) syncComplete = true;
    report('history-sync', messages);
  });
  socket.ev.on('creds.update', ({ accountSyncCounter }) => {
    if (accountSyncCounter && !syncComplete) settleTimer = setTimeout(complete, SYNC_SETTLE_MS);
  });
  socket.ev.on('connection.update', ({ connection }) => {
    if (connection === 'open' && (creds.accountSyncCounter ?? 0) > 0) complete();
    if (connection === 'close') clearTimeout(settleTimer);
  });
}

/** Asks the phone for `count` messages of the chat older than the anchor (Baileys fetchMessageHistory); the request's id. */
export function requestOlderMessages(socket: Socket, chatJid: string, count: number, anchor: HistoryAnchor): Promise<string> {
  return socket.fetchMessageHistory(count, { remoteJid: chatJid, id: anchor.waMessageId, fromMe: anchor.fromMe }, Date.parse(anchor.sentAt));
}
