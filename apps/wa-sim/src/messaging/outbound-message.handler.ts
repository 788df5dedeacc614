import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { jidDecode, proto } from '@whiskeysockets/baileys';
import type { Phone } from '../accounts/phone.model';
import { PhoneRegistry } from '../accounts/phone-registry.service';
import { bytesOf, child, children, node, unixNow, type BinaryNode } from '../protocol/binary-node';
import type { ClientConnection, DeviceAddress } from '../server/client-connection';
import { StanzaRouter } from '../server/stanza-router.service';
import { PhoneSignalService, type EnvelopeType } from '../signal/phone-signal.service';
import { DeliveryService } from './delivery.service';
import { describeMessage } from './message-content';
import { MessageLog } from './message-log.service';
import { ReceiptsService } from './receipts.service';

/** Handles messages to JIDs of one server (e.g. `g.us` for groups), registered by other modules. */
export type DestinationHandler = (connection: ClientConnection, stanza: BinaryNode) => Promise<void>;

/** Handles a companion's `peer` message to its own phone (e.g. an on-demand history request), already decrypted. */
export type PeerMessageHandler = (sender: DeviceAddress, message: proto.IMessage, messageId: string) => Promise<void>;

interface DecryptedParticipant {
  phone: Phone;
  message: proto.IMessage;
}

/**
 * Messages companions send. The server acks, each addressed simulated phone decrypts its copy,
 * the target's copy is logged and answered with receipts, and if the target is an account with
 * companions of its own, the message is passed on to them.
 */
@Injectable()
export class OutboundMessageHandler implements OnModuleInit {
  private readonly logger = new Logger('OutboundMessageHandler');
  private readonly destinations = new Map<string, DestinationHandler>();
  private peerHandler?: PeerMessageHandler;

  constructor(
    private readonly router: StanzaRouter,
    private readonly phones: PhoneRegistry,
    private readonly signal: PhoneSignalService,
    private readonly log: MessageLog,
    private readonly receipts: ReceiptsService,
    private readonly delivery: DeliveryService,
  ) {}

  onModuleInit(): void {
    this.router.onStanza('message', (connection, stanza) => this.handle(connection, stanza));
    this.router.onStanza('receipt', (connection, stanza) => this.companionReceipt(connection, stanza));
  }

  onDestination(server: string, handler: DestinationHandler): void {
    this.destinations.set(server, handler);
  }

  onPeerMessage(handler: PeerMessageHandler): void {
    this.peerHandler = handler;
  }

  private async handle(connection: ClientConnection, stanza: BinaryNode): Promise<void> {
    const sender = connection.device;
    const { id = '', to = '' } = stanza.attrs;
    if (!sender) return;
    connection.send(node('ack', { class: 'message', id, from: to, t: unixNow() }));
    const server = jidDecode(to)?.server ?? '';
    const destination = this.destinations.get(server);
    if (destination) return destination(connection, stanza);

    const target = this.phones.findByJid(to, true);
    const copies = await this.decryptCopies(sender, stanza);
    const targetCopy = copies.find((copy) => copy.phone === target);
    if (!target || !targetCopy) {
      this.logger.warn(`message ${id} from ${connection.label} to ${to}: no copy for the target phone`);
      return;
    }
    // A companion talking to its own phone (protocol traffic), not a chat message.
    if (stanza.attrs.category === 'peer' && target.phoneNumber === sender.phoneNumber) {
      await this.peerHandler?.(sender, targetCopy.message, id);
      return;
    }
    const record = this.log.recordSent({
      ...describeMessage(targetCopy.message),
      messageId: id,
      fromPhoneNumber: sender.phoneNumber,
      fromDeviceId: sender.deviceId,
      to,
      toPhoneNumber: target.phoneNumber,
      rawMessage: Buffer.from(proto.Message.encode(targetCopy.message).finish()).toString('base64'),
    });
    // A retransmission: the phone has this message already, and so have its companions.
    if (record.transmissions > 1) return;
    this.receipts.scheduleAutomatic(record, target.receiptMode);
    if (target.phoneNumber !== sender.phoneNumber && target.devices.size > 0) {
      await this.delivery.deliver({ from: this.phones.get(sender.phoneNumber), to: target, message: targetCopy.message, messageId: id });
    }
  }

  /** Every `<to jid>` (or a bare `<enc>`, addressed to the stanza's `to`) aimed at a phone's device 0. */
  private async decryptCopies(sender: DeviceAddress, stanza: BinaryNode): Promise<DecryptedParticipant[]> {
    const targets = children(child(stanza, 'participants'), 'to');
    const bareEnc = child(stanza, 'enc');
    const addressed = targets.length || !bareEnc ? targets : [node('to', { jid: stanza.attrs.to ?? '' }, [bareEnc])];
    const copies: DecryptedParticipant[] = [];
    for (const participant of addressed) {
      const jid = participant.attrs.jid ?? '';
      const enc = child(participant, 'enc');
      const ciphertext = bytesOf(enc);
      const phone = this.phones.findByJid(jid, true);
      if (!phone || jidDecode(jid)?.device || !enc || !ciphertext) continue;
      try {
        const plaintext = await this.signal.decrypt(phone, sender, { type: enc.attrs.type as EnvelopeType, ciphertext });
        const message = proto.Message.decode(plaintext);
        copies.push({ phone, message: message.deviceSentMessage?.message ?? message });
      } catch (error) {
        this.logger.warn(`phone ${phone.phoneNumber} could not decrypt ${stanza.attrs.id}: ${(error as Error).message}`);
      }
    }
    return copies;
  }

  /** A companion confirms a message a phone delivered to it. */
  private companionReceipt(connection: ClientConnection, receipt: BinaryNode): void {
    const { id = '', type } = receipt.attrs;
    connection.send(node('ack', { class: 'receipt', id, from: receipt.attrs.to ?? '', ...(type ? { type } : {}) }));
    const device = connection.device;
    if (!device || (type && type !== 'read' && type !== 'inactive')) return;
    const ids = [id, ...children(child(receipt, 'list'), 'item').map((item) => item.attrs.id ?? '')];
    for (const messageId of ids) this.delivery.markInbound(messageId, device.deviceId, type === 'read' ? 'read' : 'delivered');
  }
}
