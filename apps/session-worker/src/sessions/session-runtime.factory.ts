import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { PinoLogger } from 'nestjs-pino';
import type { Counter, Histogram } from 'prom-client';
import { SessionWorkerConfig } from '@app/config';
import { AuthStateRepository, SessionRepository } from '@app/db';
import { METRICS } from '@app/observability';
import type { SessionLease } from '@app/redis';
import { ChatHistoryFactory } from '../history/chat-history.factory';
import { InboundPublisher } from '../inbound/inbound.publisher';
import { OutboxFactory } from '../outbox/outbox.factory';
import { WorkerIdentity } from '../registry/worker-identity';
import { BaileysAdapter } from '../whatsapp/baileys.adapter';
import { withStorageRetries } from './reconnect-policy';
import { SessionAuthStore } from './session-auth-store';
import { SessionRuntime } from './session-runtime';
import { SessionStatusRecorder } from './session-status.recorder';

/** Builds a session runtime wired to this worker's adapter, stores, recorder and metrics. */
@Injectable()
export class SessionRuntimeFactory {
  constructor(
    private readonly adapter: BaileysAdapter,
    private readonly authState: AuthStateRepository,
    private readonly sessions: SessionRepository,
    private readonly recorder: SessionStatusRecorder,
    private readonly identity: WorkerIdentity,
    private readonly config: SessionWorkerConfig,
    private readonly logger: PinoLogger,
    private readonly outboxes: OutboxFactory,
    private readonly inbound: InboundPublisher,
    private readonly histories: ChatHistoryFactory,
    @InjectMetric(METRICS.sessionReconnects.name) private readonly reconnects: Counter<string>,
    @InjectMetric(METRICS.sessionRestoreDuration.name) private readonly restoreDuration: Histogram<string>,
  ) {
    logger.setContext(SessionRuntime.name);
  }

  create(lease: SessionLease, epoch: number, terminated: (reason: string) => void): SessionRuntime {
    const { sessionId } = lease;
    const worker = { worker: this.identity.id };
    const store = new SessionAuthStore(this.authState, sessionId, epoch);
    // The drainer and the runtime refer to each other: the drainer sends over the runtime's connection.
    let runtime: SessionRuntime | undefined;
    const outbox = this.outboxes.create({
      sessionId,
      epoch,
      sender: () => runtime?.sender() ?? null,
      leaseLost: () => runtime?.stop(),
    });
    runtime = new SessionRuntime(sessionId, lease, epoch, {
      outbox,
      history: this.histories.create(sessionId),
      received: (message) =>
        void this.inbound.publish(sessionId, message).catch((error: Error) => this.logger.error({ err: error, sessionId }, 'received message not queued')),
      workerId: this.identity.id,
      open: (listener) => this.adapter.open(sessionId, store, listener),
      record: async (change, reason, traceId) => {
        const outcome = await withStorageRetries(() => this.recorder.record(sessionId, epoch, change, reason, traceId));
        if (outcome === 'recorded') this.logger.info({ sessionId, status: change.status, reason, traceId }, 'session status changed');
        return outcome;
      },
      claimPhone: (phone) => withStorageRetries(() => this.sessions.claimPhone(sessionId, phone)),
      clearAuthState: () => store.clear(),
      terminated,
      onReconnect: () => this.reconnects.inc(worker),
      onOpened: (linkedBefore, ms) => {
        if (linkedBefore) this.restoreDuration.observe(worker, ms / 1000);
      },
      reconnect: {
        baseMs: this.config.RECONNECT_BASE_MS,
        maxMs: this.config.RECONNECT_MAX_MS,
        maxAttempts: this.config.RECONNECT_MAX_ATTEMPTS,
      },
    });
    return runtime;
  }
}
