import { deflateSync } from 'node:zlib';
import { proto } from '@whiskeysockets/baileys';

/**
 * The history-sync notification a phone sends a newly linked companion. An empty inline
 * INITIAL_BOOTSTRAP payload is enough for Baileys to run its (empty) app-state sync and go
 * online at once instead of buffering every event for 20 s waiting for history.
 */
export function initialHistorySyncMessage(): proto.IMessage {
  const history = proto.HistorySync.encode({
    syncType: proto.HistorySync.HistorySyncType.INITIAL_BOOTSTRAP,
    conversations: [],
    progress: 100,
  }).finish();
  return {
    protocolMessage: {
      type: proto.Message.ProtocolMessage.Type.HISTORY_SYNC_NOTIFICATION,
      historySyncNotification: {
        syncType: proto.Message.HistorySyncType.INITIAL_BOOTSTRAP,
        initialHistBootstrapInlinePayload: deflateSync(history),
        chunkOrder: 0,
        progress: 100,
      },
    },
  };
}
