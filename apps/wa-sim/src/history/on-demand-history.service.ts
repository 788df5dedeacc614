import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { proto } from '@whiskeysockets/baileys';
import { pnJid } from '../accounts/phone.model';
import { PhoneRegistry } from '../accounts/phone-registry.service';
import { DeliveryService } from '../messaging/delivery.service';
import { historySyncMessage } from '../messaging/initial-sync';
import { OutboundMessageHandler } from '../messaging/outbound-message.handler';
import type { DeviceAddress } from '../server/client-connection';
import { conversationOf } from './history-conversations';
import { PhoneHistoryStore } from './phone-history.store';

/** WhatsApp answers at most this many messages per on-demand request. */
const MAX_ON_DEMAND = 50;

/**
 * A companion asks its phone for older messages of a chat (Baileys `fetchMessageHistory`: a peer
 * data operation HISTORY_SYNC_ON_DEMAND, anchored on the oldest message it has). The phone answers
 * that companion alone with an ON_DEMAND history sync naming the request.
 */
@Injectable()
export class OnDemandHistoryService implements OnModuleInit {
  private readonly logger = new Logger('OnDemandHistory');

  constructor(
    private readonly outbound: OutboundMessageHandler,
    private readonly phones: PhoneRegistry,
    private readonly history: PhoneHistoryStore,
    private readonly delivery: DeliveryService,
  ) {}

  onModuleInit(): void {
    this.outbound.onPeerMessage((sender, message, messageId) => this.answer(sender, message, messageId));
  }

  private async answer(sender: DeviceAddress, message: proto.IMessage, requestId: string): Promise<void> {
    const operation = message.protocolMessage?.peerDataOperationRequestMessage;
    const request = operation?.historySyncOnDemandRequest;
    if (operation?.peerDataOperationRequestType !== proto.Message.PeerDataOperationRequestType.HISTORY_SYNC_ON_DEMAND || !request?.chatJid) {
      this.logger.debug(`peer message ${requestId} from ${sender.phoneNumber}:${sender.deviceId} is not an on-demand history request; ignored`);
      return;
    }
    // Companions may name a contact's chat by its LID; the phone keeps it by number.
    const contact = this.phones.findByJid(request.chatJid);
    const chat = contact ? pnJid(contact.phoneNumber) : request.chatJid;
    const count = Math.min(Math.max(1, request.onDemandMsgCount ?? MAX_ON_DEMAND), MAX_ON_DEMAND);
    const anchor = { id: request.oldestMsgId ?? '', timestampMs: Number(request.oldestMsgTimestampMs ?? 0) };
    const entries = this.history.before(sender.phoneNumber, chat, anchor, count);
    const device = this.phones.getDevice(sender.phoneNumber, sender.deviceId);
    await this.delivery.deliverToOwnDevice(
      device,
      historySyncMessage({
        syncType: proto.HistorySync.HistorySyncType.ON_DEMAND,
        conversations: entries.length > 0 ? [conversationOf(chat, entries)] : [],
        peerDataRequestSessionId: requestId,
      }),
    );
    this.logger.debug(`answered on-demand request ${requestId} for ${chat} with ${entries.length} messages`);
  }
}
