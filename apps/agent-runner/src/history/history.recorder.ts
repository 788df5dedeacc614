import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { PinoLogger } from 'nestjs-pino';
import type { Counter } from 'prom-client';
import type { InboundMessageEvent, MessageStatusChangedEvent, PhoneSentMessageEvent } from '@app/contracts';
import { AllowedNumberRepository, MessageHistoryRepository, OutboundMessageRepository, SessionRepository, type HistoryMessage } from '@app/db';
import { METRICS } from '@app/observability';

export type HistoryOutcome = 'stored' | 'duplicate' | 'not-allowed' | 'gate-unavailable' | 'gone';

const userJid = (phone: string): string => `${phone}@s.whatsapp.net`;

/** WhatsApp message timestamps are whole seconds: an inbound message happened up to 1 s after its `sentAt`. */
const TIMESTAMP_RESOLUTION_MS = 1_000;

/**
 * Seed 002's persistence gate: a session's messages are stored only when the device's own number
 * was an active allowed number at the time of the message (and still is), however late the event
 * is processed. When the gate cannot be checked nothing is stored (fail-safe); the message id makes
 * a second store of the same message a no-op.
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
    const happenedBy = new Date(Date.parse(event.sentAt) + TIMESTAMP_RESOLUTION_MS - 1);
    const gate = await this.gate(event.ownPhone, happenedBy, event.sessionId, event.traceId);
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

  /** A message the session's account wrote on another device (typed on the phone): stored like the session's own sends. */
  async recordSentFromPhone(event: PhoneSentMessageEvent): Promise<HistoryOutcome> {
    const { message } = event;
    const happenedBy = new Date(Date.parse(message.sentAt) + TIMESTAMP_RESOLUTION_MS - 1);
    const gate = await this.gate(event.ownPhone, happenedBy, event.sessionId, event.traceId);
    if (gate !== 'open') return gate;
    return this.store({
      sessionId: event.sessionId,
      waMessageId: message.waMessageId,
      chatJid: message.chatJid,
      senderJid: userJid(event.ownPhone),
      direction: 'outbound',
      type: message.kind,
      text: message.text,
      caption: message.caption,
      mimeType: message.mimeType,
      fileName: message.fileName,
      quotedId: message.quotedMessageId,
      mentions: message.mentions,
      pushName: null,
      sentAt: new Date(message.sentAt),
    });
  }

  /** A message the session sent (any route, job, schedule or agent reply), once it went out. */
  async recordOutbound(event: MessageStatusChangedEvent): Promise<HistoryOutcome> {
    const [session, record] = await Promise.all([this.sessions.findById(event.sessionId), this.outbox.find(event.outboundId)]);
    if (!session?.phone || !record) return 'gone';
    const sentAt = record.sentAt ?? new Date(event.at);
    const gate = await this.gate(session.phone, sentAt, event.sessionId, record.traceId ?? undefined);
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
      sentAt,
    });
  }

  private async gate(ownPhone: string, happenedAt: Date, sessionId: string, traceId: string | undefined): Promise<'open' | 'not-allowed' | 'gate-unavailable'> {
    if (!ownPhone) return 'not-allowed';
    try {
      const since = await this.allowed.activeSince(ownPhone);
      return since !== null && since <= happenedAt ? 'open' : 'not-allowed';
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
