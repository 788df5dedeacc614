import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { isJidGroup, proto } from '@whiskeysockets/baileys';
import { pnJid, type Phone } from '../accounts/phone.model';
import { DeliveryService, type DeliveryRequest } from '../messaging/delivery.service';
import { MessageLog, type SentMessageRecord } from '../messaging/message-log.service';
import { SIM_OPTIONS, type SimOptions } from '../persistence/sim-state-store';
import { conversationOf } from './history-conversations';
import { PhoneHistoryStore } from './phone-history.store';

/** Protocol traffic (history notifications, sender-key distributions alone, …) is not a chat message. */
function isChatMessage(message: proto.IMessage): boolean {
  const keys = Object.keys(proto.Message.toObject(proto.Message.fromObject(message))).filter((key) => key !== 'messageContextInfo');
  return keys.length > 0 && !keys.every((key) => key === 'protocolMessage' || key === 'senderKeyDistributionMessage');
}

const unwrap = (message: proto.IMessage): proto.IMessage => message.deviceSentMessage?.message ?? message;
const encoded = (message: proto.IMessage): string => Buffer.from(proto.Message.encode(message).finish()).toString('base64');

/**
 * Keeps each phone's chat history from the traffic it takes part in: what phones deliver to
 * companions (contacts writing, group members, the phone's own typed messages) and what companions
 * send. The recent part of it is what a newly linked companion gets in its initial history sync.
 */
@Injectable()
export class HistoryTrafficRecorder implements OnModuleInit {
  constructor(
    private readonly history: PhoneHistoryStore,
    private readonly delivery: DeliveryService,
    private readonly log: MessageLog,
    @Inject(SIM_OPTIONS) private readonly options: SimOptions,
  ) {}

  onModuleInit(): void {
    this.delivery.onDelivery((request) => this.delivered(request));
    this.log.onSentRecorded((record) => this.sent(record));
    this.delivery.useInitialSyncSource((phone) => this.recentChats(phone));
  }

  private delivered(request: DeliveryRequest & { messageId: string; timestamp: number }): void {
    const message = unwrap(request.message);
    if (!isChatMessage(message)) return;
    const group = isJidGroup(request.extraAttrs?.from) ? request.extraAttrs!.from : undefined;
    const fromMe = request.from.phoneNumber === request.to.phoneNumber;
    const chat = group ?? (fromMe ? request.extraAttrs?.recipient : pnJid(request.from.phoneNumber));
    if (!chat) return;
    this.history.add(request.to.phoneNumber, {
      id: request.messageId,
      chat,
      fromMe,
      ...(group && !fromMe ? { participant: pnJid(request.from.phoneNumber) } : {}),
      message: encoded(message),
      timestamp: request.timestamp,
      ...(fromMe ? {} : { pushName: request.from.name }),
    });
  }

  /** A companion's message is its phone's own; a direct one is the other phone's too (linked or not). */
  private sent(record: SentMessageRecord): void {
    const message = proto.Message.decode(Buffer.from(record.rawMessage, 'base64'));
    if (!isChatMessage(message)) return;
    const timestamp = Math.floor(record.receivedAtMs / 1000);
    this.history.add(record.fromPhoneNumber, {
      id: record.messageId,
      chat: record.groupJid ?? pnJid(record.toPhoneNumber),
      fromMe: true,
      message: record.rawMessage,
      timestamp,
    });
    if (!record.groupJid && record.toPhoneNumber) {
      this.history.add(record.toPhoneNumber, {
        id: record.messageId,
        chat: pnJid(record.fromPhoneNumber),
        fromMe: false,
        message: record.rawMessage,
        timestamp,
      });
    }
  }

  private recentChats(phone: Phone): proto.IConversation[] {
    const perChat = this.options.historySyncMessagesPerChat;
    return this.history.chats(phone.phoneNumber).map(({ chat, entries }) => conversationOf(chat, entries.slice(-perChat)));
  }
}
