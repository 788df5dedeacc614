import { Injectable } from '@nestjs/common';
import { GatewayConfig } from '@app/config';
import { AppError, sessionNotConnectedError, type DeliveryState, type OutboundContent } from '@app/contracts';
import { deliveryStateOf, OutboundMessageRepository, SessionRepository, type OutboundCounts, type SessionRecord } from '@app/db';
import { normalizeRecipient } from '@app/recipients';
import { newWhatsAppMessageId, SendAcceptor } from '@app/sending';
import { mediaContentOf, pickMediaSource, type UploadedMediaFile } from '../media/media-intake.types';
import { MediaIntakeService } from '../media/media-intake.service';
import type { QueueStatusDto, SendMediaDto, SendResultDto } from './dto/send-message.dto';

export interface SendRequest {
  sessionId: string;
  to: string;
  content: OutboundContent;
  idempotencyKey?: string;
  traceId: string;
}

/**
 * Accepting sends: a message is validated and handed to the worker holding the session, which
 * puts it into the outbox (durable from then on) and answers once it went out or the wait ended.
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly outbox: OutboundMessageRepository,
    private readonly sessions: SessionRepository,
    private readonly acceptor: SendAcceptor,
    private readonly media: MediaIntakeService,
    private readonly config: GatewayConfig,
  ) {}

  /** Takes in the media of a send (base64, URL or upload) and returns the message content with its preview path. */
  async mediaContent(sessionId: string, body: SendMediaDto, file: UploadedMediaFile | undefined): Promise<{ content: OutboundContent; previewPath?: string }> {
    const accepted = await this.media.accept({
      sessionId,
      source: pickMediaSource({ data: body.data, base64: body.base64, url: body.url, file }),
      kind: body.mediaType,
      mimeType: body.mimeType ?? body.mimetype,
      fileName: body.filename ?? body.fileName,
      saveToTemp: body.save_to_temp,
    });
    const content = mediaContentOf(accepted, { caption: body.caption, quotedMessageId: body.quotedMessageId, mentions: this.mentions(body.mentions) });
    return { content, previewPath: accepted.previewPath };
  }

  recipient(to: string): string {
    return normalizeRecipient(to, this.config.DEFAULT_COUNTRY_CODE).jid;
  }

  mentions(numbers: string[] | undefined): string[] | undefined {
    return numbers?.map((number) => this.recipient(number));
  }

  /**
   * Seed 003: sends go out on a connected session only. A linked session passing through a
   * reconnect or a takeover is worth a retry shortly (503 SESSION_NOT_READY with Retry-After); one
   * waiting for a QR scan, logged out or failed needs someone to act first (409
   * SESSION_NOT_CONNECTED). The session's holder checks again when it accepts; this check spares
   * the work before (media intake) and the worker round trip.
   */
  assertConnected(session: SessionRecord): void {
    if (session.status === 'connected') return;
    throw sessionNotConnectedError(session);
  }

  /** assertConnected for callers that hold only the id (routes get the session from @ScopedSession). */
  async requireConnected(sessionId: string): Promise<void> {
    const session = await this.sessions.findById(sessionId);
    if (!session) throw new AppError('SESSION_NOT_FOUND', `Session ${sessionId} does not exist`);
    this.assertConnected(session);
  }

  async send(request: SendRequest): Promise<SendResultDto> {
    const draft = {
      waMessageId: newWhatsAppMessageId(),
      toJid: this.recipient(request.to),
      content: request.content,
      idempotencyKey: request.idempotencyKey ?? null,
      traceId: request.traceId,
    };
    // With no wait configured the answer is 202 "queued" as soon as the message is accepted.
    return resultOf(await this.acceptor.accept(request.sessionId, draft, { waitMs: this.config.SEND_RESPONSE_WAIT_MS, whenNoOwner: 'refuse' }));
  }

  async status(sessionId: string, messageId: string): Promise<SendResultDto> {
    const record = await this.outbox.find(messageId);
    if (!record || record.sessionId !== sessionId) throw new AppError('NOT_FOUND', `Message ${messageId} does not exist`);
    return resultOf(deliveryStateOf(record));
  }

  async queue(sessionId: string): Promise<QueueStatusDto> {
    const counts: OutboundCounts = await this.outbox.counts(sessionId);
    return {
      pending: counts.queued,
      processing: counts.sending,
      completed: counts.sent + counts.delivered + counts.read,
      failed: counts.failed,
      cancelled: counts.cancelled,
      isProcessing: counts.sending > 0,
    };
  }

  async clearQueue(sessionId: string): Promise<number> {
    return this.outbox.cancelPending(sessionId);
  }
}

function resultOf(state: DeliveryState): SendResultDto {
  return {
    // Seed 003 clients read `delivered: true` as "sent, do not retry"; a queued message will go out too.
    delivered: state.status !== 'failed' && state.status !== 'cancelled',
    messageId: state.outboundId,
    waMessageId: state.waMessageId,
    status: state.status,
    error: state.error,
  };
}
