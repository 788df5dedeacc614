import { Injectable } from '@nestjs/common';
import { OutboxSendRepository, type OutboundRecord, type OutboxAcceptOutcome, type OutboxAcceptRow, type ReceiptUpdate } from '@app/db';
import { TickBatcher } from '../batching/tick-batcher';
import { MessageEventsPublisher } from './message-events.publisher';

/**
 * Recording sends and receipts waits this long for company: nobody waits for them (the sender has
 * its answer, the phone its message), and a busy session then needs a fraction of a statement
 * per message instead of three. A crash in between costs a resend under the same id at most.
 */
const RECORD_LINGER_MS = 10;

/**
 * The outbox writes of every session this worker holds, made in batches (group commit): messages
 * accepted, sends recorded and receipts applied during one event-loop turn each become one
 * statement. Every caller's promise resolves only once its own write is stored, and the status
 * events a write causes are published only then.
 */
@Injectable()
export class OutboxWriter {
  private readonly accepts: TickBatcher<OutboxAcceptRow, OutboxAcceptOutcome>;
  private readonly sends: TickBatcher<{ record: OutboundRecord; sentAt: Date }, void>;
  private readonly receipts: TickBatcher<ReceiptUpdate, void>;

  constructor(repository: OutboxSendRepository, events: MessageEventsPublisher) {
    this.accepts = new TickBatcher((rows) => repository.accept(rows));
    this.sends = new TickBatcher<{ record: OutboundRecord; sentAt: Date }, void>(
      async (sends) => {
        await repository.markSent(sends.map(({ record, sentAt }) => ({ id: record.id, sentAt })));
        for (const { record } of sends) events.publish(record, 'sent', null);
        return sends.map(() => undefined);
      },
      { lingerMs: RECORD_LINGER_MS },
    );
    this.receipts = new TickBatcher<ReceiptUpdate, void>(
      async (updates) => {
        for (const { record, reached } of await repository.applyReceipts(updates)) {
          for (const status of reached) events.publish(record, status, null);
        }
        return updates.map(() => undefined);
      },
      { lingerMs: RECORD_LINGER_MS },
    );
  }

  accept(row: OutboxAcceptRow): Promise<OutboxAcceptOutcome> {
    return this.accepts.add(row);
  }

  /** Records a message handed to WhatsApp at `sentAt` (status `sending` → `sent`). */
  markSent(record: OutboundRecord, sentAt: Date): Promise<void> {
    return this.sends.add({ record, sentAt });
  }

  /** A delivery or read receipt; statuses only move forward. */
  receipt(update: ReceiptUpdate): Promise<void> {
    return this.receipts.add(update);
  }
}
