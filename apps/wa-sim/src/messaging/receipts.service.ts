import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ReceiptMode } from '../accounts/phone.model';
import { SimError } from '../common/sim-error';
import { SIM_OPTIONS, type SimOptions } from '../persistence/sim-state-store';
import { node, unixNow } from '../protocol/binary-node';
import { ConnectionRegistry } from '../server/connection-registry.service';
import { MessageLog, type ReceiptType, type SentMessageRecord } from './message-log.service';

/**
 * Delivery and read receipts from a simulated phone back to the companion that sent the message.
 * Automatic ones wait a little: within ~100 ms Baileys folds them into the send's own upsert.
 */
@Injectable()
export class ReceiptsService {
  private readonly logger = new Logger('ReceiptsService');

  constructor(
    private readonly connections: ConnectionRegistry,
    private readonly log: MessageLog,
    @Inject(SIM_OPTIONS) private readonly options: SimOptions,
  ) {}

  private get delayMs(): number {
    return this.options.receiptDelayMs;
  }

  scheduleAutomatic(record: SentMessageRecord, mode: ReceiptMode): void {
    if (mode === 'none') return;
    setTimeout(() => {
      this.trySend(record, 'delivery');
      if (mode === 'read') setTimeout(() => this.trySend(record, 'read'), this.delayMs);
    }, this.delayMs);
  }

  /** Sends a receipt for the latest message with that id; fails if its sender is offline. */
  emit(messageId: string, type: ReceiptType): SentMessageRecord {
    const record = this.log.findSent(messageId);
    if (!record) throw SimError.notFound('MESSAGE_NOT_FOUND', `no sent message ${messageId}`);
    if (!this.send(record, type)) {
      throw SimError.conflict('SENDER_OFFLINE', `the companion that sent ${messageId} is not connected`);
    }
    return record;
  }

  private trySend(record: SentMessageRecord, type: ReceiptType): void {
    if (!this.send(record, type)) this.logger.debug(`dropped ${type} receipt for ${record.messageId}: sender offline`);
  }

  private send(record: SentMessageRecord, type: ReceiptType): boolean {
    const connection = this.connections.find(record.fromPhoneNumber, record.fromDeviceId);
    if (!connection?.ready) return false;
    const attrs: Record<string, string> = { from: record.to, id: record.messageId, t: unixNow() };
    if (type === 'read') attrs.type = 'read';
    connection.send(node('receipt', attrs));
    record.receipts[type] = new Date().toISOString();
    return true;
  }
}
