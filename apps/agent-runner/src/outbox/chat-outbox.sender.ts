import { Injectable } from '@nestjs/common';
import { AgentRunnerConfig } from '@app/config';
import type { TextContent } from '@app/contracts';
import { OutboundMessageRepository, type OutboundRecord } from '@app/db';
import { DeliveryRequester, newWhatsAppMessageId } from '@app/messaging';

export interface ChatMessage {
  sessionId: string;
  toJid: string;
  content: TextContent;
  /**
   * Derived from the received message: a reprocessed message finds its earlier reply or alert
   * in the outbox instead of sending a second one.
   */
  idempotencyKey: string;
  traceId: string;
}

/**
 * How the agent-runner sends (replies, alerts): into the session's outbox, the one way anything
 * is sent, then a nudge to the worker owning the session. It does not wait for the send: the
 * outbox delivers once the session is connected, and the owner's sweep picks up a missed nudge.
 */
@Injectable()
export class ChatOutboxSender {
  constructor(
    private readonly outbox: OutboundMessageRepository,
    private readonly delivery: DeliveryRequester,
    private readonly config: AgentRunnerConfig,
  ) {}

  async send(message: ChatMessage): Promise<OutboundRecord> {
    const { record, created } = await this.outbox.enqueue(
      {
        sessionId: message.sessionId,
        waMessageId: newWhatsAppMessageId(),
        toJid: message.toJid,
        content: message.content,
        idempotencyKey: message.idempotencyKey,
        traceId: message.traceId,
      },
      this.config.SEND_QUEUE_MAX,
    );
    // A nudge, not a wait: the outbox sends once the session can, and the owner's sweep covers a lost nudge.
    if (created) await this.delivery.request(record, 0, message.traceId);
    return record;
  }
}
