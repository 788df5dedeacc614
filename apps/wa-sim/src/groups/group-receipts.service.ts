import { Inject, Injectable } from '@nestjs/common';
import { PhoneRegistry } from '../accounts/phone-registry.service';
import type { Phone } from '../accounts/phone.model';
import type { SentMessageRecord } from '../messaging/message-log.service';
import { SIM_OPTIONS, type SimOptions } from '../persistence/sim-state-store';
import { node, unixNow } from '../protocol/binary-node';
import { ConnectionRegistry } from '../server/connection-registry.service';
import { groupJid, memberJids, type Group } from './group.model';

/**
 * Receipts for a companion's group message: every other member phone answers by its receipt
 * mode, as `<receipt from=group participant=member>` (Baileys: `message-receipt.update`). Like 1:1
 * receipts they wait a little and are dropped if the sender is offline by then.
 */
@Injectable()
export class GroupReceipts {
  constructor(
    private readonly phones: PhoneRegistry,
    private readonly connections: ConnectionRegistry,
    @Inject(SIM_OPTIONS) private readonly options: SimOptions,
  ) {}

  schedule(group: Group, record: SentMessageRecord): void {
    const delayMs = this.options.receiptDelayMs;
    for (const participant of group.participants) {
      const member = this.phones.get(participant.phoneNumber);
      if (member.phoneNumber === record.fromPhoneNumber || member.receiptMode === 'none') continue;
      setTimeout(() => {
        this.send(group, record, member, 'delivery');
        if (member.receiptMode === 'read') setTimeout(() => this.send(group, record, member, 'read'), delayMs);
      }, delayMs);
    }
  }

  private send(group: Group, record: SentMessageRecord, member: Phone, type: 'delivery' | 'read'): void {
    const connection = this.connections.find(record.fromPhoneNumber, record.fromDeviceId);
    if (!connection?.ready) return;
    const attrs: Record<string, string> = {
      from: groupJid(group),
      participant: memberJids(member, group.addressingMode).jid,
      id: record.messageId,
      t: unixNow(),
    };
    if (type === 'read') attrs.type = 'read';
    connection.send(node('receipt', attrs));
    record.receipts[type] ??= new Date().toISOString();
  }
}
