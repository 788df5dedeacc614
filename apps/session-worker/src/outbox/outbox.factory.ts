import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { SessionWorkerConfig } from '@app/config';
import { MediaRepository, OutboundMessageRepository, SessionRepository } from '@app/db';
import { sendRetryDelayMs } from '@app/messaging';
import { SendPacer } from '@app/redis';
import type { OutgoingMessage } from '../whatsapp/whatsapp-connection';
import { MessageStatusPublisher } from './message-status.publisher';
import { OutboxDrainer } from './outbox-drainer';

/** What the drainer needs to know about the session it sends for. */
export interface OutboxOwner {
  sessionId: string;
  epoch: number;
  sender(): ((message: OutgoingMessage) => Promise<void>) | null;
  leaseLost(): void;
}

/** Builds a session's outbox drainer over the outbox, media, pacing and the session's connection. */
@Injectable()
export class OutboxFactory {
  constructor(
    private readonly outbox: OutboundMessageRepository,
    private readonly sessions: SessionRepository,
    private readonly media: MediaRepository,
    private readonly pacer: SendPacer,
    private readonly publisher: MessageStatusPublisher,
    private readonly config: SessionWorkerConfig,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(OutboxDrainer.name);
  }

  create(owner: OutboxOwner): OutboxDrainer {
    const { sessionId, epoch } = owner;
    const publish = (...args: Parameters<MessageStatusPublisher['publish']>) =>
      void this.publisher.publish(...args).catch((error: Error) => this.logger.warn({ err: error, sessionId }, 'status event not published'));
    return new OutboxDrainer({
      advance: (sentId, claim) => this.outbox.advance(sessionId, epoch, sentId, claim),
      find: (id) => this.outbox.find(id),
      claim: async (id) => {
        if (await this.outbox.claimForSending(id, epoch)) return 'claimed';
        return (await this.sessions.holdsEpoch(sessionId, epoch)) ? 'settled' : 'stale';
      },
      markSent: (id) => this.outbox.markSent(id),
      retryLater: (id, error, at) => this.outbox.scheduleRetry(id, error, at),
      markFailed: (id, error) => this.outbox.markFailed(id, error),
      applyReceipt: async (waMessageId, status) => {
        const record = await this.outbox.applyReceipt(sessionId, waMessageId, status);
        if (record) publish(record, status, null);
      },
      paced: () => this.pacer.paced(sessionId),
      reserve: (recipient, origin) => this.pacer.reserve(sessionId, recipient, origin),
      mediaBytes: async (mediaId) => {
        const media = await this.media.findWithBytes(mediaId);
        if (!media) throw new Error(`media ${mediaId} is gone`);
        return media.bytes;
      },
      sender: () => owner.sender(),
      retryDelayMs: async (attempts, origin) => (attempts < (await this.pacer.maxAttempts(sessionId, origin)) ? sendRetryDelayMs(attempts, this.config) : null),
      statusChanged: (record, status, error) => {
        if (status === 'failed') this.logger.warn({ sessionId, outboundId: record.id, error }, 'message failed for good');
        publish(record, status, error);
      },
      leaseLost: () => owner.leaseLost(),
      failed: (error) => this.logger.warn({ err: error, sessionId }, 'outbox pass failed; retrying shortly'),
    });
  }
}
