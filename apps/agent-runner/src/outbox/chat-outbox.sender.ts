import { Injectable } from '@nestjs/common';
import type { SendAcceptance, TextContent } from '@app/contracts';
import { newWhatsAppMessageId, SendAcceptor } from '@app/sending';

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
 * How the agent-runner sends (replies, alerts): accepted like every send, without waiting for it
 * to go out. When no worker can take it now, it waits in the outbox for the session's next owner.
 */
@Injectable()
export class ChatOutboxSender {
  constructor(private readonly acceptor: SendAcceptor) {}

  send(message: ChatMessage): Promise<SendAcceptance> {
    const { sessionId, ...draft } = message;
    return this.acceptor.accept(sessionId, { ...draft, waMessageId: newWhatsAppMessageId() }, { waitMs: 0, whenNoOwner: 'queue' });
  }
}
