import { proto } from '@whiskeysockets/baileys';
import type { HistoryEntry } from './phone-history.store';

/** A message as history sync carries it: WebMessageInfo with the key the companion will know it by. */
function webMessageInfo(entry: HistoryEntry): proto.IWebMessageInfo {
  return {
    key: { remoteJid: entry.chat, fromMe: entry.fromMe, id: entry.id, ...(entry.participant ? { participant: entry.participant } : {}) },
    message: proto.Message.decode(Buffer.from(entry.message, 'base64')),
    messageTimestamp: entry.timestamp,
    ...(entry.pushName ? { pushName: entry.pushName } : {}),
    ...(entry.fromMe ? { status: proto.WebMessageInfo.Status.SERVER_ACK } : {}),
  };
}

/** One chat of a history sync; WhatsApp lists a conversation's messages newest first. */
export function conversationOf(chat: string, entries: HistoryEntry[]): proto.IConversation {
  return { id: chat, messages: [...entries].reverse().map((entry) => ({ message: webMessageInfo(entry) })) };
}
