import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { jidDecode, proto } from '@whiskeysockets/baileys';
import type { CompanionDevice, PendingDelivery, Phone } from '../accounts/phone.model';
import { PhoneRegistry } from '../accounts/phone-registry.service';
import { DeliveryService, newMessageId } from '../messaging/delivery.service';
import { describeMessage } from '../messaging/message-content';
import { MessageLog, type InboundStatus } from '../messaging/message-log.service';
import { OutboundMessageHandler } from '../messaging/outbound-message.handler';
import { bytesOf, child, children, node, type BinaryNode } from '../protocol/binary-node';
import type { ClientConnection, DeviceAddress } from '../server/client-connection';
import { PhoneSignalService, type EnvelopeType } from '../signal/phone-signal.service';
import { memberAttrs } from './group-nodes';
import { GroupReceipts } from './group-receipts.service';
import { GroupRegistry } from './group-registry.service';
import { findParticipant, GROUP_SERVER, groupIdOf, groupJid, type Group } from './group.model';
import { SenderKeyStore } from './sender-key-store.service';

export interface GroupDeliveryResult {
  messageId: string;
  /** Per member account with companions: per device id, sent now or queued. */
  accounts: Record<string, Record<number, InboundStatus>>;
}

/**
 * Group messages in both directions. From a companion: member phones decrypt their pairwise
 * copies (the SKDM), then the `skmsg` with that sender key; the text is logged, members answer with
 * receipts, and other member accounts' companions get it from the sender's phone. From a member
 * phone: one `skmsg` per message, preceded (once per companion and key) by the SKDM in a pairwise
 * `pkmsg`/`msg`, all through DeliveryService so offline companions get it queued.
 */
@Injectable()
export class GroupMessaging implements OnModuleInit {
  private readonly logger = new Logger('GroupMessaging');

  constructor(
    private readonly outbound: OutboundMessageHandler,
    private readonly delivery: DeliveryService,
    private readonly phones: PhoneRegistry,
    private readonly signal: PhoneSignalService,
    private readonly groups: GroupRegistry,
    private readonly senderKeys: SenderKeyStore,
    private readonly log: MessageLog,
    private readonly receipts: GroupReceipts,
  ) {}

  onModuleInit(): void {
    this.outbound.onDestination(GROUP_SERVER, (connection, stanza) => this.fromCompanion(connection, stanza));
    this.delivery.onSource(GROUP_SERVER, (from, device, item) => this.envelopes(from, device, item));
  }

  /**
   * A member phone writes to the group: the companions of every other member account receive it,
   * and, when it was written on the phone itself (`fromPhone`), the sender's own companions too
   * (as their own message). A companion's message relayed by its phone does not go back to it.
   */
  async sendFromMember(group: Group, from: Phone, message: proto.IMessage, messageId = newMessageId(), fromPhone = false): Promise<GroupDeliveryResult> {
    // Sealing now fixes the message's place in the phone's sender-key chain, before any queueing.
    this.senderKeys.seal(group.id, from.phoneNumber, messageId, proto.Message.encode(message).finish());
    const extraAttrs = {
      from: groupJid(group),
      ...memberAttrs(this.phones, group, 'participant', from.phoneNumber),
      addressing_mode: group.addressingMode,
    };
    const accounts: GroupDeliveryResult['accounts'] = {};
    for (const participant of group.participants) {
      const to = this.phones.get(participant.phoneNumber);
      if ((to.phoneNumber === from.phoneNumber && !fromPhone) || to.devices.size === 0) continue;
      accounts[to.phoneNumber] = (await this.delivery.deliver({ from, to, message, messageId, extraAttrs })).devices;
    }
    return { messageId, accounts };
  }

  private async fromCompanion(connection: ClientConnection, stanza: BinaryNode): Promise<void> {
    const { id = '', to = '' } = stanza.attrs;
    const sender = connection.device;
    const group = this.groups.find(to);
    if (!sender || !group || !findParticipant(group, sender.phoneNumber)) {
      this.logger.warn(`group message ${id} from ${connection.label} to ${to}: no such group or not a member`);
      return;
    }
    await this.acceptDistributions(group, sender, stanza);
    const ciphertext = bytesOf(children(stanza, 'enc').find((enc) => enc.attrs.type === 'skmsg'));
    let message: proto.Message;
    try {
      if (!ciphertext) throw new Error('no skmsg');
      message = proto.Message.decode(this.senderKeys.decrypt(group.id, sender, ciphertext));
    } catch (error) {
      this.logger.warn(`group message ${id} from ${connection.label}: ${(error as Error).message}`);
      return;
    }
    const record = this.log.recordSent({
      ...describeMessage(message),
      messageId: id,
      fromPhoneNumber: sender.phoneNumber,
      fromDeviceId: sender.deviceId,
      to: groupJid(group),
      toPhoneNumber: '',
      groupJid: groupJid(group),
      rawMessage: Buffer.from(proto.Message.encode(message).finish()).toString('base64'),
    });
    if (record.transmissions > 1) return;
    this.receipts.schedule(group, record);
    await this.sendFromMember(group, this.phones.get(sender.phoneNumber), message, id);
  }

  /** Member phones decrypt their pairwise copies; those carry the companion's sender key (SKDM). */
  private async acceptDistributions(group: Group, sender: DeviceAddress, stanza: BinaryNode): Promise<void> {
    for (const target of children(child(stanza, 'participants'), 'to')) {
      const jid = target.attrs.jid ?? '';
      const enc = child(target, 'enc');
      const ciphertext = bytesOf(enc);
      const phone = this.phones.findByJid(jid);
      if (!phone || jidDecode(jid)?.device || !enc || !ciphertext) continue;
      try {
        const plaintext = await this.signal.decrypt(phone, sender, { type: enc.attrs.type as EnvelopeType, ciphertext });
        const skdm = proto.Message.decode(plaintext).senderKeyDistributionMessage?.axolotlSenderKeyDistributionMessage;
        if (skdm?.length) this.senderKeys.acceptDistribution(group.id, sender, skdm);
      } catch (error) {
        this.logger.warn(`phone ${phone.phoneNumber} could not decrypt its copy of ${stanza.attrs.id}: ${(error as Error).message}`);
      }
    }
  }

  /** The `<enc>` nodes of a member phone's group message for one companion. */
  private async envelopes(from: Phone, device: CompanionDevice, item: PendingDelivery): Promise<BinaryNode[]> {
    const jid = item.extraAttrs?.from ?? '';
    const groupId = groupIdOf(jid);
    const sealed = this.senderKeys.seal(groupId, from.phoneNumber, item.messageId, item.message);
    const encs: BinaryNode[] = [];
    if (this.senderKeys.takeDistribution(groupId, from.phoneNumber, sealed, device)) {
      const skdm = proto.Message.encode({
        senderKeyDistributionMessage: { groupId: jid, axolotlSenderKeyDistributionMessage: sealed.distribution },
      }).finish();
      const envelope = await this.signal.encrypt(from, device, skdm);
      encs.push(node('enc', { v: '2', type: envelope.type }, envelope.ciphertext));
    }
    encs.push(node('enc', { v: '2', type: 'skmsg' }, sealed.ciphertext));
    return encs;
  }
}
