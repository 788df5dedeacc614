import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { PinoLogger } from 'nestjs-pino';
import type { Counter } from 'prom-client';
import type { InboundMessageEvent, MessageStatusChangedEvent } from '@app/contracts';
import { AllowedNumberRepository, MessageHistoryRepository, OutboundMessageRepository, SessionRepository, type HistoryMessage } from '@app/db';
import { METRICS } from '@app/observability';

export type HistoryOutcome = 'stored' | 'duplicate' | 'not-allowed' | 'gate-unavailable' | 'gone';

const userJid = (phone: string): string => `${phone}@s.whatsapp.net`;

/**
 * Seed 002's persistence gate: a session's messages are stored only while the device's own
 * number is an active allowed number. When the gate cannot be checked nothing is stored (fail-safe);
 * the message id makes a second store of the same message a no-op.
 */
@Injectable()
export class HistoryRecorder {
  constructor(
    private readonly allowed: AllowedNumberRepository,
    private readonly history: MessageHistoryRepository,
    private readonly outbox: OutboundMessageRepository,
    private readonly sessions: SessionRepository,
    private readonly logger: PinoLogger,
    @InjectMetric(METRICS.errors.name) private readonly errors: Counter<string>,
  ) {
    logger.setContext(HistoryRecorder.name);
  }

  async recordInbound(event: InboundMessageEvent): Promise<HistoryOutcome> {
    const gate = await this.gate(event.ownPhone, event.sessionId, event.traceId);
    if (gate !== 'open') return gate;
    const text = event.kind === 'text' ? event.text : null;
    return this.store({
      sessionId: event.sessionId,
      waMessageId: event.waMessageId,
      chatJid: event.chatJid,
      // Contacts hidden behind a LID are stored by phone when WhatsApp disclosed it, so filters by number find them.
      senderJid: event.senderPhone ? userJid(event.senderPhone) : event.senderJid,
      direction: 'inbound',
      type: event.kind,
      text,
      caption: event.kind === 'text' ? null : event.text,
      mimeType: null,
      fileName: null,
      quotedId: event.quotedMessageId,
      mentions: event.mentions,
      pushName: event.pushName,
      sentAt: new Date(event.sentAt),
    });
  }

  /** A message the session sent (any route, job, schedule or agent reply), once it went out. */
  async recordOutbound(event: MessageStatusChangedEvent): Promise<HistoryOutcome> {
    const [session, record] = await Promise.all([this.sessions.findById(event.sessionId), this.outbox.find(event.outboundId)]);
    if (!session?.phone || !record) return 'gone';
    const gate = await this.gate(session.phone, event.sessionId, record.traceId ?? undefined);
    if (gate !== 'open') return gate;
    const { content } = record;
    return this.store({
      sessionId: event.sessionId,
      waMessageId: record.waMessageId,
      chatJid: record.toJid,
      senderJid: userJid(session.phone),
      direction: 'outbound',
      type: content.kind,
      text: content.kind === 'text' ? content.text : null,
      caption: content.kind === 'text' ? null : (content.caption ?? null),
      mimeType: content.kind === 'text' ? null : content.mimeType,
      fileName: content.kind === 'text' ? null : (content.fileName ?? null),
      quotedId: content.quotedMessageId ?? null,
      mentions: content.mentions ?? [],
      pushName: null,
      sentAt: record.sentAt ?? new Date(event.at),
    });
  }

  private async gate(ownPhone: string, sessionId: string, traceId: string | undefined): Promise<'open' | 'not-allowed' | 'gate-unavailable'> {
    if (!ownPhone) return 'not-allowed';
    try {
      return (await this.allowed.isActive(ownPhone)) ? 'open' : 'not-allowed';
    } catch (error) {
      this.errors.inc({ code: 'HISTORY_GATE_UNAVAILABLE' });
      this.logger.warn({ err: error, sessionId, traceId }, 'allowed-number check failed: message not stored (fail-safe)');
      return 'gate-unavailable';
    }
  }

  private async store(message: HistoryMessage): Promise<HistoryOutcome> {
    return (await this.history.store(message)) ? 'stored' : 'duplicate';
  }
}
