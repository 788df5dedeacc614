import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { PinoLogger } from 'nestjs-pino';
import type { Counter, Histogram } from 'prom-client';
import { SessionWorkerConfig } from '@app/config';
import { AuthStateRepository, SessionRepository } from '@app/db';
import { METRICS } from '@app/observability';
import { LiveEventPublisher } from '@app/redis';
import { AuthKeyWriter } from '../auth-state/auth-key.writer';
import { SessionAuthStore } from '../auth-state/session-auth-store';
import { ChatHistoryFactory } from '../history/chat-history.factory';
import { InboundPublisher } from '../inbound/inbound.publisher';
import { OutboxDrainerFactory } from '../outbox/outbox-drainer.factory';
import { WorkerIdentity } from '../registry/worker-identity';
import { BAILEYS_AUTH_CODEC, BaileysAdapter } from '../whatsapp/baileys.adapter';
import type { HeldSession, SessionHolder } from './held-session';
import { QrPairing } from './qr-pairing';
import { SerialQueue } from './serial-queue';
import { SessionConnection, type ConnectionServices } from './session-connection';
import { SessionLink } from './session-link';
import { SessionRuntime } from './session-runtime';
import { SessionStatusMachine } from './session-status.machine';
import { SessionStatusRecorder } from './session-status.recorder';

/** Assembles a held session's parts: link, status, QR, auth store, outbox drainer, chat history, connection, runtime. */
@Injectable()
export class SessionRuntimeFactory {
  private readonly services: ConnectionServices;

  constructor(
    adapter: BaileysAdapter,
    sessions: SessionRepository,
    inbound: InboundPublisher,
    config: SessionWorkerConfig,
    private readonly identity: WorkerIdentity,
    private readonly authState: AuthStateRepository,
    private readonly keyWriter: AuthKeyWriter,
    private readonly recorder: SessionStatusRecorder,
    private readonly drainers: OutboxDrainerFactory,
    private readonly histories: ChatHistoryFactory,
    private readonly logger: PinoLogger,
    private readonly live: LiveEventPublisher,
    @InjectMetric(METRICS.sessionReconnects.name) reconnects: Counter<string>,
    @InjectMetric(METRICS.sessionRestoreDuration.name) restoreDuration: Histogram<string>,
  ) {
    logger.setContext(SessionRuntime.name);
    this.services = { adapter, sessions, inbound, config, reconnects, restoreDuration, workerId: identity.id, logger };
  }

  create(session: HeldSession, holder: SessionHolder): SessionRuntime {
    const link = new SessionLink(session.sessionId);
    const parts = {
      session,
      link,
      holder,
      status: new SessionStatusMachine(session, this.recorder, this.logger),
      qr: new QrPairing(session.sessionId),
      queue: new SerialQueue(),
      outbox: this.drainers.create(session, link, holder),
      history: this.histories.create(session.sessionId),
      store: new SessionAuthStore(this.authState, this.keyWriter, BAILEYS_AUTH_CODEC, session.sessionId, session.epoch),
      live: this.live,
    };
    return new SessionRuntime(parts, new SessionConnection(parts, this.services), this.identity.id);
  }
}
