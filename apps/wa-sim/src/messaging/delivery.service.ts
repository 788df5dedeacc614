import { randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { isJidGroup, jidDecode, proto } from '@whiskeysockets/baileys';
import { deviceKey, lidJid, pnJid, type CompanionDevice, type PendingDelivery, type Phone } from '../accounts/phone.model';
import { PhoneRegistry } from '../accounts/phone-registry.service';
import { node, type BinaryNode } from '../protocol/binary-node';
import type { ClientConnection } from '../server/client-connection';
import { ConnectionRegistry } from '../server/connection-registry.service';
import { PhoneSignalService } from '../signal/phone-signal.service';
import { initialHistorySyncMessage } from './initial-sync';
import { describeMessage } from './message-content';
import { MessageLog, type EnvelopeKind, type InboundStatus } from './message-log.service';

export interface DeliveryRequest {
  from: Phone;
  to: Phone;
  message: proto.IMessage;
  messageId?: string;
  /** `peer` for phone-to-own-companion protocol messages. */
  category?: string;
  /** Extra stanza attributes, e.g. `{ from: groupJid, participant }` for group traffic. */
  extraAttrs?: Record<string, string>;
}

export interface DeliveryResult {
  messageId: string;
  devices: Record<number, InboundStatus>;
}

const STATUS_ORDER: InboundStatus[] = ['queued', 'sent', 'delivered', 'read'];

export const newMessageId = (): string => randomBytes(16).toString('hex').toUpperCase();

/** Told of every phone → companions delivery (not peer protocol messages), e.g. to keep the phones' chat history. */
export type DeliveryListener = (request: DeliveryRequest & { messageId: string; timestamp: number }) => void;

/** The chats a phone puts into a new companion's initial history sync. */
export type InitialSyncSource = (phone: Phone) => proto.IConversation[];

/**
 * Builds the `<enc>` nodes of one delivery to one device instead of the pairwise envelope, for
 * deliveries whose `extraAttrs.from` is on the builder's JID server (groups: SKDM + `skmsg`).
 */
export type EnvelopeBuilder = (from: Phone, device: CompanionDevice, item: PendingDelivery) => Promise<BinaryNode[]>;

/**
 * Phone → companion delivery: encrypts per companion with the sending phone's Signal session,
 * sends at once to companions that are online, queues for the others and flushes the queue
 * (marked `offline`, then `<ib><offline count/>`) when they come back.
 */
@Injectable()
export class DeliveryService implements OnModuleInit {
  private readonly logger = new Logger('DeliveryService');
  /** Per device, so envelopes leave in the order their Signal ratchet produced them. */
  private readonly sendChains = new Map<string, Promise<void>>();
  private readonly envelopeBuilders = new Map<string, EnvelopeBuilder>();
  private readonly deliveryListeners: DeliveryListener[] = [];
  private initialSyncSource: InitialSyncSource = () => [];

  constructor(
    private readonly phones: PhoneRegistry,
    private readonly connections: ConnectionRegistry,
    private readonly signal: PhoneSignalService,
    private readonly log: MessageLog,
  ) {}

  onModuleInit(): void {
    this.connections.onDeviceReady((connection) => this.deviceReady(connection));
  }

  onSource(server: string, builder: EnvelopeBuilder): void {
    this.envelopeBuilders.set(server, builder);
  }

  onDelivery(listener: DeliveryListener): void {
    this.deliveryListeners.push(listener);
  }

  /** Where the initial history sync's chats come from (the history module); none by default. */
  useInitialSyncSource(source: InitialSyncSource): void {
    this.initialSyncSource = source;
  }

  async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
    const pending: PendingDelivery = {
      messageId: request.messageId ?? newMessageId(),
      fromPhoneNumber: request.from.phoneNumber,
      message: Buffer.from(proto.Message.encode(request.message).finish()),
      category: request.category,
      extraAttrs: request.extraAttrs,
      timestamp: Math.floor(Date.now() / 1000),
    };
    const devices: Record<number, InboundStatus> = {};
    if (!request.category) {
      for (const listener of this.deliveryListeners) listener({ ...request, messageId: pending.messageId, timestamp: pending.timestamp });
      this.log.recordInbound({
        ...describeMessage(request.message),
        messageId: pending.messageId,
        fromPhoneNumber: request.from.phoneNumber,
        toPhoneNumber: request.to.phoneNumber,
        groupJid: isJidGroup(request.extraAttrs?.from) ? request.extraAttrs?.from : undefined,
        createdAt: new Date().toISOString(),
        devices,
        envelopes: {},
      });
    }
    for (const device of request.to.devices.values()) {
      const connection = this.connections.find(device.phoneNumber, device.deviceId);
      if (connection?.ready) {
        devices[device.deviceId] = 'sent';
        await this.send(connection, device, pending, false);
      } else {
        devices[device.deviceId] = 'queued';
        device.pending.push(pending);
      }
    }
    this.phones.save(request.to);
    return { messageId: pending.messageId, devices };
  }

  private async deviceReady(connection: ClientConnection): Promise<void> {
    const address = connection.device;
    const device = address && this.phones.get(address.phoneNumber).devices.get(address.deviceId);
    if (!device) return;
    const queued = [...device.pending];
    for (const item of queued) {
      if (!connection.isOpen) return;
      await this.send(connection, device, item, true);
      device.pending.shift();
      this.markInbound(item.messageId, device.deviceId, 'sent');
    }
    this.phones.save(this.phones.get(device.phoneNumber));
    connection.send(node('ib', {}, [node('offline', { count: String(queued.length) })]));
    if (!device.initialSyncSent) await this.sendInitialSync(connection, device);
  }

  private async sendInitialSync(connection: ClientConnection, device: CompanionDevice): Promise<void> {
    const phone = this.phones.get(device.phoneNumber);
    await this.send(connection, device, this.peerItem(phone, initialHistorySyncMessage(this.initialSyncSource(phone))), false);
    device.initialSyncSent = true;
    this.phones.save(phone);
  }

  /** A protocol message from a phone to one of its own companions (e.g. an on-demand history answer); queued while it is offline. */
  async deliverToOwnDevice(device: CompanionDevice, message: proto.IMessage): Promise<void> {
    const phone = this.phones.get(device.phoneNumber);
    const item = this.peerItem(phone, message);
    const connection = this.connections.find(device.phoneNumber, device.deviceId);
    if (connection?.ready) return this.send(connection, device, item, false);
    device.pending.push(item);
    this.phones.save(phone);
  }

  private peerItem(phone: Phone, message: proto.IMessage): PendingDelivery {
    return {
      messageId: newMessageId(),
      fromPhoneNumber: phone.phoneNumber,
      message: Buffer.from(proto.Message.encode(message).finish()),
      category: 'peer',
      timestamp: Math.floor(Date.now() / 1000),
    };
  }

  /** Moves a device's status forward only (a late delivery receipt never undoes a read). */
  markInbound(messageId: string, deviceId: number, status: InboundStatus): void {
    const record = this.log.findInbound(messageId);
    const current = record?.devices[deviceId];
    if (record && (!current || STATUS_ORDER.indexOf(status) > STATUS_ORDER.indexOf(current))) {
      record.devices[deviceId] = status;
    }
  }

  private send(connection: ClientConnection, device: CompanionDevice, item: PendingDelivery, offline: boolean): Promise<void> {
    const key = deviceKey(device.phoneNumber, device.deviceId);
    const previous = this.sendChains.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.encryptAndSend(connection, device, item, offline));
    this.sendChains.set(
      key,
      next.catch(() => undefined),
    );
    return next;
  }

  private async encryptAndSend(connection: ClientConnection, device: CompanionDevice, item: PendingDelivery, offline: boolean): Promise<void> {
    const from = this.phones.get(item.fromPhoneNumber);
    const builder = this.envelopeBuilders.get(jidDecode(item.extraAttrs?.from)?.server ?? '');
    const encs = builder ? await builder(from, device, item) : [await this.pairwiseEnvelope(from, device, item.message)];
    const isMedia = describeMessage(proto.Message.decode(item.message)).media !== undefined;
    const attrs: Record<string, string> = {
      from: pnJid(from.phoneNumber),
      id: item.messageId,
      t: String(item.timestamp),
      type: isMedia ? 'media' : 'text',
      notify: from.name,
    };
    if (from.phoneNumber !== device.phoneNumber) attrs.sender_lid = lidJid(from.lid);
    if (item.category) attrs.category = item.category;
    const record = this.log.findInbound(item.messageId);
    if (record) record.envelopes[device.deviceId] = encs[0]?.attrs.type as EnvelopeKind;
    if (offline) attrs.offline = '1';
    Object.assign(attrs, item.extraAttrs);
    connection.send(node('message', attrs, encs));
    this.logger.debug(`${encs.map((enc) => enc.attrs.type).join('+')} ${item.messageId} → ${connection.label}${offline ? ' (offline)' : ''}`);
  }

  private async pairwiseEnvelope(from: Phone, device: CompanionDevice, message: Uint8Array): Promise<BinaryNode> {
    const envelope = await this.signal.encrypt(from, device, message);
    return node('enc', { v: '2', type: envelope.type }, envelope.ciphertext);
  }
}
