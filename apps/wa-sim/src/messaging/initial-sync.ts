import { deflateSync } from 'node:zlib';
import { proto } from '@whiskeysockets/baileys';

export interface HistorySyncContent {
  syncType: proto.HistorySync.HistorySyncType;
  conversations: proto.IConversation[];
  /** ON_DEMAND answers name the request they answer (the id of the companion's request message). */
  peerDataRequestSessionId?: string;
}

/**
 * A history-sync notification as a phone sends it to its companions. The payload always travels
 * inline (`initialHistBootstrapInlinePayload`, which Baileys reads for every sync type): WhatsApp
 * sends larger chunks as media blobs, but Baileys downloads those from WhatsApp's fixed media host
 * (history notifications carry no URL), which a local server cannot be.
 */
export function historySyncMessage({ syncType, conversations, peerDataRequestSessionId }: HistorySyncContent): proto.IMessage {
  const history = proto.HistorySync.encode({ syncType, conversations, progress: 100 }).finish();
  return {
    protocolMessage: {
      type: proto.Message.ProtocolMessage.Type.HISTORY_SYNC_NOTIFICATION,
      historySyncNotification: {
        syncType: syncType as unknown as proto.Message.HistorySyncType,
        initialHistBootstrapInlinePayload: deflateSync(history),
        chunkOrder: 0,
        progress: 100,
        ...(peerDataRequestSessionId ? { peerDataRequestSessionId } : {}),
      },
    },
  };
}

/**
 * The history-sync notification a phone sends a newly linked companion: INITIAL_BOOTSTRAP with the
 * phone's recent chats (none by default). Even an empty one lets Baileys run its (empty) app-state
 * sync and go online at once instead of buffering every event for 20 s waiting for history.
 */
export function initialHistorySyncMessage(conversations: proto.IConversation[] = []): proto.IMessage {
  return historySyncMessage({ syncType: proto.HistorySync.HistorySyncType.INITIAL_BOOTSTRAP, conversations });
}
