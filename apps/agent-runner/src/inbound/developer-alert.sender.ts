import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AgentRunnerConfig } from '@app/config';
import type { InboundMessageEvent } from '@app/contracts';
import { normalizeRecipient } from '@app/recipients';
import { ChatOutboxSender } from '../outbox/chat-outbox.sender';

export interface AgentFailure {
  code: string;
  reason: string;
}

/** The alert text: everything a developer needs to find the failure in the logs. */
function alertText(event: InboundMessageEvent, failure: AgentFailure): string {
  const sender = event.pushName ? `${event.senderJid} (${event.pushName})` : event.senderJid;
  return [
    '⚠️ AI agent failed to answer',
    `agent: ${event.sessionId}`,
    `from: ${sender}`,
    ...(event.isGroup ? [`chat: ${event.chatJid}`] : []),
    `reason: ${failure.code}: ${failure.reason}`,
    `traceId: ${event.traceId}`,
  ].join('\n');
}

/**
 * Seed 003's developer alert: when the AI fails on a received message, DEVELOPER_JID gets a
 * WhatsApp message from the same session, through its outbox, once per received message.
 */
@Injectable()
export class DeveloperAlertSender {
  private readonly developerJid: string | null;

  constructor(
    private readonly sender: ChatOutboxSender,
    private readonly logger: PinoLogger,
    config: AgentRunnerConfig,
  ) {
    logger.setContext(DeveloperAlertSender.name);
    this.developerJid = config.DEVELOPER_JID ? normalizeRecipient(config.DEVELOPER_JID, config.DEFAULT_COUNTRY_CODE).jid : null;
  }

  async send(event: InboundMessageEvent, failure: AgentFailure): Promise<void> {
    if (!this.developerJid) {
      this.logger.warn({ sessionId: event.sessionId, traceId: event.traceId, failure }, 'AI agent failed; DEVELOPER_JID is not set, so no alert is sent');
      return;
    }
    await this.sender.send({
      sessionId: event.sessionId,
      toJid: this.developerJid,
      content: { kind: 'text', text: alertText(event, failure) },
      idempotencyKey: `inbound:${event.waMessageId}:alert`,
      traceId: event.traceId,
    });
  }
}
