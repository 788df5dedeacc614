import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { SchedulerConfig } from '@app/config';
import { AppError, SETTLED, type DeliveryState, type OutboundDraft } from '@app/contracts';
import { deliveryStateOf, OutboundMessageRepository } from '@app/db';
import { DeliveryRequester, SendAcceptor } from '@app/sending';
/** Longest wait one deliver command asks for; then the deadline is checked and the owner asked again. */
const DELIVER_WAIT_MS = 5_000;
const RETRY_PAUSE_MS = 500;
const OUTBOX_FULL_PAUSE_MS = 1_000;

export type Accepted = { state: DeliveryState } | { refused: string } | 'stopped';
/** `gaveUp`: the deadline passed while the message still waited in the outbox, so it was failed. */
export type Settled = { state: DeliveryState; gaveUp: boolean } | 'stopped';

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * How the scheduler sends: it has the message accepted (idempotent by job item or schedule, so a
 * re-run finds the same message; queued in the outbox when no worker can take it now) and asks
 * the worker owning the session to send it, asking again while no worker can answer (failover),
 * until the message is settled. `signal` (scheduler shutting down) ends a wait early, after the
 * owner was asked at least once.
 */
@Injectable()
export class OutboxDelivery {
  constructor(
    private readonly acceptor: SendAcceptor,
    private readonly outbox: OutboundMessageRepository,
    private readonly delivery: DeliveryRequester,
    private readonly config: SchedulerConfig,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(OutboxDelivery.name);
  }

  /**
   * Has the message accepted, waiting while the session's outbox is full, until `deadline`. The
   * owner is asked to send it at once and to answer within the first wait.
   */
  async accept(sessionId: string, draft: OutboundDraft, deadline: number, signal: AbortSignal): Promise<Accepted> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const waitMs = Math.max(0, Math.min(DELIVER_WAIT_MS, deadline - Date.now()));
        return { state: await this.acceptor.accept(sessionId, draft, { waitMs, whenNoOwner: 'queue' }) };
      } catch (error) {
        const full = error instanceof AppError && error.code === 'RATE_LIMITED';
        // Anything else once: a cancel's placeholder can win the insert race; the retry finds it.
        if (!full && attempt > 0) throw error;
        if (full && Date.now() >= deadline) return { refused: (error as Error).message };
        if (signal.aborted) return 'stopped';
        await sleep(full ? OUTBOX_FULL_PAUSE_MS : 0, signal);
      }
    }
  }

  /**
   * Waits until the message is settled. Past `deadline` a message still queued is failed; one
   * being sent is waited for, since it may already be with WhatsApp (its sender, or the next owner
   * of the session, settles it).
   */
  async settle(sessionId: string, accepted: DeliveryState, deadline: number, traceId: string, signal: AbortSignal): Promise<Settled> {
    if (SETTLED.includes(accepted.status)) return { state: accepted, gaveUp: false };
    for (let asked = false; ; asked = true) {
      if (asked && signal.aborted) return 'stopped';
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        const gaveUp = await this.outbox.failIfStillQueued(accepted.outboundId, `not sent within ${this.config.DELIVERY_SETTLE_TIMEOUT_MS} ms`);
        const current = await this.outbox.find(accepted.outboundId);
        if (current && SETTLED.includes(current.status)) return { state: deliveryStateOf(current), gaveUp };
      }
      const waitMs = Math.max(1_000, Math.min(DELIVER_WAIT_MS, remaining));
      const started = Date.now();
      // A job must outlive odd worker failures too: log, and ask again.
      const state = await this.delivery.request(sessionId, accepted, waitMs, traceId).catch((error: Error) => {
        this.logger.warn({ err: error, outboundId: accepted.outboundId, traceId }, 'deliver command failed; asking again');
        return null;
      });
      if (state && SETTLED.includes(state.status)) return { state, gaveUp: false };
      // An answer well before the wait ended means the owner cannot send now: do not spin.
      if (Date.now() - started < waitMs / 2) await sleep(RETRY_PAUSE_MS, signal);
    }
  }
}
