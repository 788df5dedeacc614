import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { SendingConfig } from '@app/config';
import { AppError, WORKER_COMMANDS, type OutboundDraft, type SendAcceptance } from '@app/contracts';
import { deliveryStateOf, OutboxSendRepository, SessionRepository } from '@app/db';
import { SessionCommandRouter } from '@app/transport';

/**
 * What to do when no worker can take the message now (no holder, holder dead, session between
 * owners): `refuse` answers SESSION_NOT_READY (a client retries, ideally with an Idempotency-Key);
 * `queue` puts the message into the outbox directly, for the session's next owner to send.
 */
export type WhenNoOwner = 'refuse' | 'queue';

export interface AcceptOptions {
  /** How long to wait for the message to go out before answering with its state so far. */
  waitMs: number;
  whenNoOwner: WhenNoOwner;
}

/** Time for the owner's answer on top of how long it was asked to wait. */
const ANSWER_MARGIN_MS = 5_000;

/** Answers meaning "nobody can take it now", as opposed to the owner's own refusal. */
const NO_OWNER: ReadonlySet<string> = new Set(['NO_WORKER_AVAILABLE', 'WORKER_NOT_OWNER', 'BAD_GATEWAY']);

/** How soon a client may retry a session that is waiting for a worker. */
const PLACEMENT_RETRY_AFTER_SECONDS = 2;

/**
 * Accepting a send, the one way every producer does it (send routes, bulk jobs, schedules, AI
 * replies): the worker holding the session puts the message into its outbox with the id fixed
 * here and sends it (one batched statement, then the socket), answering once it went out or the
 * wait ended. When the owner's answer is lost (timeout), the message is put into the outbox here
 * under the same id, which either adds it or finds the one the owner added: accepted exactly
 * once either way, and sent by whoever owns the session.
 */
@Injectable()
export class SendAcceptor {
  constructor(
    private readonly router: SessionCommandRouter,
    private readonly outbox: OutboxSendRepository,
    private readonly sessions: SessionRepository,
    private readonly config: SendingConfig,
  ) {}

  async accept(sessionId: string, draft: OutboundDraft, options: AcceptOptions): Promise<SendAcceptance> {
    try {
      return await this.router.sendToHolder(
        sessionId,
        WORKER_COMMANDS.sessionSend,
        { sessionId, message: draft, waitMs: options.waitMs, traceId: draft.traceId },
        options.waitMs + ANSWER_MARGIN_MS,
      );
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'WORKER_TIMEOUT') return this.queue(sessionId, draft);
      const noOwner = NO_OWNER.has(error.code) || (error.code === 'SESSION_NOT_READY' && error.details?.held === false);
      // Producers that must not lose work queue whatever keeps the session from sending now.
      if (options.whenNoOwner === 'queue' && (noOwner || error.code === 'SESSION_NOT_READY')) return this.queue(sessionId, draft);
      if (!noOwner) throw error;
      throw await this.notReady(sessionId);
    }
  }

  /** Into the outbox with no owner asking (unclaimed, for the session's next owner to send). */
  private async queue(sessionId: string, draft: OutboundDraft): Promise<SendAcceptance> {
    const limit = this.config.SEND_QUEUE_MAX;
    const [outcome] = await this.outbox.accept([{ ...draft, id: randomUUID(), sessionId, epoch: null, claim: false, queueLimit: limit }]);
    switch (outcome.outcome) {
      case 'created':
      case 'duplicate':
        return { ...deliveryStateOf(outcome.record), created: outcome.outcome === 'created' };
      case 'queue-full':
        throw new AppError('RATE_LIMITED', `Session ${sessionId} already has ${outcome.pending} messages waiting to be sent`, {
          queued: outcome.pending,
          limit,
        });
      case 'stale':
        throw new AppError('SESSION_NOT_FOUND', `Session ${sessionId} does not exist`);
    }
  }

  /** Nobody holds the session: worth a retry if it wants a connection (being placed), else not connected. */
  private async notReady(sessionId: string): Promise<AppError> {
    const session = await this.sessions.findById(sessionId);
    if (!session) return new AppError('SESSION_NOT_FOUND', `Session ${sessionId} does not exist`);
    if (session.autoConnect) {
      return new AppError('SESSION_NOT_READY', `Session ${sessionId} is waiting for a worker; retry shortly`, {
        status: session.status,
        retryAfterSeconds: PLACEMENT_RETRY_AFTER_SECONDS,
      });
    }
    return new AppError('SESSION_NOT_CONNECTED', `Session ${sessionId} is ${session.status}, not connected`, { status: session.status });
  }
}
