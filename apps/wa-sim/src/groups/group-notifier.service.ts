import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PhoneRegistry } from '../accounts/phone-registry.service';
import { node, unixNow, type BinaryNode } from '../protocol/binary-node';
import { ConnectionRegistry } from '../server/connection-registry.service';
import { memberAttrs } from './group-nodes';
import { groupJid, type Group } from './group.model';

/**
 * `<notification type='w:gp2'>` to members' companions, the acting device included (WhatsApp
 * echoes a change to every device of every member, which is how Baileys learns of groups it
 * created). Only companions online at that moment receive it.
 */
@Injectable()
export class GroupNotifier {
  constructor(
    private readonly phones: PhoneRegistry,
    private readonly connections: ConnectionRegistry,
  ) {}

  /** `extraRecipients`: phones that are no longer members but must hear of it (e.g. the removed). */
  notify(group: Group, actorPhoneNumber: string, content: BinaryNode, extraRecipients: string[] = []): void {
    const attrs = {
      from: groupJid(group),
      type: 'w:gp2',
      id: randomBytes(8).toString('hex').toUpperCase(),
      t: unixNow(),
      ...memberAttrs(this.phones, group, 'participant', actorPhoneNumber),
    };
    const recipients = new Set([...group.participants.map((participant) => participant.phoneNumber), ...extraRecipients]);
    for (const phoneNumber of recipients) {
      for (const device of this.phones.get(phoneNumber).devices.values()) {
        const connection = this.connections.find(phoneNumber, device.deviceId);
        if (connection?.ready) connection.send(node('notification', attrs, [content]));
      }
    }
  }
}
