import { Injectable } from '@nestjs/common';
import type { proto } from '@whiskeysockets/baileys';
import { pnJid, type Phone } from '../accounts/phone.model';
import { PhoneRegistry } from '../accounts/phone-registry.service';
import { DeliveryService, newMessageId, type DeliveryResult } from '../messaging/delivery.service';

/**
 * Messages typed on a simulated phone to a contact. The phone's own companions receive them as
 * their own (`fromMe`): from the phone, `recipient` naming the chat, the message wrapped in
 * `deviceSentMessage`. The contact gets the message itself (its companions too, when it is a
 * linked account). Group messages typed on a phone: POST /groups/{id}/messages.
 */
@Injectable()
export class PhoneMessagesService {
  constructor(
    private readonly phones: PhoneRegistry,
    private readonly delivery: DeliveryService,
  ) {}

  async send(account: Phone, to: string, message: proto.IMessage): Promise<DeliveryResult> {
    const contact = this.phones.getOrCreateContact(to);
    const messageId = newMessageId();
    const chat = pnJid(contact.phoneNumber);
    const own = await this.delivery.deliver({
      from: account,
      to: account,
      message: { deviceSentMessage: { destinationJid: chat, message } },
      messageId,
      extraAttrs: { recipient: chat },
    });
    if (contact.phoneNumber !== account.phoneNumber) await this.delivery.deliver({ from: account, to: contact, message, messageId });
    return own;
  }
}
