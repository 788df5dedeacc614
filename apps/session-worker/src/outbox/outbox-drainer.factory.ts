import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { SessionWorkerConfig } from '@app/config';
import { MediaRepository, OutboundMessageRepository, OutboxSendRepository } from '@app/db';
import { SendPacer } from '@app/redis';
import type { HeldSession, SessionHolder } from '../sessions/held-session';
import type { SessionLink } from '../sessions/session-link';
import { MessageEventsPublisher } from './message-events.publisher';
import { OutboxDrainer } from './outbox-drainer';
import { OutboxWriter } from './outbox.writer';

/** Builds a held session's outbox drainer over this worker's outbox statements, media, pacing and events. */
@Injectable()
export class OutboxDrainerFactory {
  constructor(
    private readonly writer: OutboxWriter,
    private readonly store: OutboxSendRepository,
    private readonly outbox: OutboundMessageRepository,
    private readonly media: MediaRepository,
    private readonly pacer: SendPacer,
    private readonly events: MessageEventsPublisher,
    private readonly config: SessionWorkerConfig,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(OutboxDrainer.name);
  }

  create(session: HeldSession, link: SessionLink, holder: SessionHolder): OutboxDrainer {
    return new OutboxDrainer(session, link, holder, this.writer, this.store, this.outbox, this.media, this.pacer, this.events, this.config, this.logger);
  }
}
