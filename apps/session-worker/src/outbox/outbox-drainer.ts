import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { PinoLogger } from 'nestjs-pino';
import type { SessionWorkerConfig } from '@app/config';
import {
  AppError,
  sendOriginOf,
  SETTLED,
  type DeliveryState,
  type DeliveryStatus,
  type OutboundDraft,
  type SendAcceptance,
  type SendOrigin,
} from '@app/contracts';
import { deliveryStateOf, type MediaRepository, type OutboundMessageRepository, type OutboundRecord, type OutboxSendRepository } from '@app/db';
import { sendRetryDelayMs } from '@app/sending';
import type { SendPacer } from '@app/redis';
import type { HeldSession, SessionHolder } from '../sessions/held-session';
import type { SessionLink } from '../sessions/session-link';
import type { ReceiptStatus } from '../whatsapp/whatsapp-connection';
import type { MessageEventsPublisher } from './message-events.publisher';
import type { OutboxWriter } from './outbox.writer';

/** Woken with the settled state, or with null when the drainer stops. */
type Waiter = (state: DeliveryState | null) => void;

/**
 * A message this drainer accepted with a pacing permit in hand, and the time the permit is for.
 * One for now is claimed as it is inserted; one for later stays queued (a queue clear may still
 * cancel it) and is claimed when its time comes.
 */
interface Held {
  record: OutboundRecord;
  notBefore: number;
  claimed: boolean;
}

const PASS_OVER = Symbol('pass over');

/**
 * Sends one session's outbox in order, one message at a time, over the session's link.
 *
 * Two sources feed it. Messages this owner accepts while it knows the outbox holds nothing due
 * (`synced`) are inserted already claimed and kept in memory: the fast path, one batched statement
 * to accept, one to record the send. Anything else (a new owner's first pass, retries falling
 * due, paced sessions whose permit is not at hand, messages other processes put in the outbox)
 * is read from the outbox one step at a time until nothing is due, which makes it synced again.
 *
 * At most the message in flight is claimed-but-unsent, and recording sends is batched: a new
 * owner sends what it finds claimed again, under the same WhatsApp id, so the phone shows it once.
 */
export class OutboxDrainer {
  private readonly held: Held[] = [];
  /** Fast-path messages whose insert has not come back yet: a step from the store must skip them. */
  private readonly accepting = new Set<string>();
  /** Sent messages whose `sent` is still being written: a step from the store must skip them. */
  private readonly recording = new Set<string>();
  /** Bumped whenever a message was accepted unclaimed: a step that began before must not call the outbox empty. */
  private unclaimedAccepts = 0;
  private synced = false;
  private running: Promise<void> | null = null;
  /** Resolves when the pass run after the current one ends (requests that came in mid-pass). */
  private followUp: { promise: Promise<void>; resolve: () => void } | null = null;
  private stopped = false;
  private wakeTimer?: NodeJS.Timeout;
  private pauseTimer?: { timer: NodeJS.Timeout; done: () => void };
  private readonly waiters = new Map<string, Set<Waiter>>();
  /**
   * Passes run in the async context the drainer was made in: a pass started from inside one of
   * Baileys' key transactions (a socket event, a receipt) would otherwise send every message as
   * part of that finished transaction, without its lock and with its stale key cache.
   */
  private readonly inOwnContext = AsyncLocalStorage.snapshot();

  constructor(
    private readonly session: HeldSession,
    private readonly link: SessionLink,
    private readonly holder: SessionHolder,
    private readonly writer: OutboxWriter,
    private readonly store: OutboxSendRepository,
    private readonly outbox: OutboundMessageRepository,
    private readonly media: MediaRepository,
    private readonly pacer: SendPacer,
    private readonly events: MessageEventsPublisher,
    private readonly config: SessionWorkerConfig,
    private readonly logger: PinoLogger,
  ) {}

  /**
   * Accepts a message into the outbox (durable when this resolves) and waits up to `waitMs` for it
   * to settle. A message with the idempotency key, job item or schedule of an earlier one is not
   * accepted again: the earlier one is waited for and answered (`created: false`).
   */
  async accept(draft: OutboundDraft, waitMs: number): Promise<SendAcceptance> {
    if (this.stopped) throw this.notOwner();
    const id = randomUUID();
    const permitAt = this.synced ? await this.permitNow(draft.toJid, sendOriginOf(draft)) : null;
    const hold = permitAt !== null && !this.stopped;
    const claim = hold && permitAt <= Date.now();
    const limit = this.config.SEND_QUEUE_MAX;
    if (hold && limit > 0 && this.held.length + this.accepting.size >= limit) throw queueFull(this.session.sessionId, limit);
    if (hold) this.accepting.add(id);
    let outcome;
    try {
      outcome = await this.writer.accept({
        ...draft,
        id,
        sessionId: this.session.sessionId,
        epoch: this.session.epoch,
        claim,
        queueLimit: hold ? 0 : limit,
      });
    } finally {
      this.accepting.delete(id);
    }
    switch (outcome.outcome) {
      case 'stale':
        this.holder.leaseLost(this.session.sessionId, 'a newer owner took the session over');
        throw this.notOwner();
      case 'queue-full':
        throw queueFull(this.session.sessionId, limit, outcome.pending);
      case 'created':
        if (hold) {
          this.held.push({ record: outcome.record, notBefore: permitAt, claimed: claim });
        } else {
          this.unclaimedAccepts += 1;
          void this.resync();
        }
        break;
      case 'duplicate':
        break;
    }
    const created = outcome.outcome === 'created';
    if (waitMs <= 0) {
      void this.kick();
      return { ...deliveryStateOf(outcome.record), created };
    }
    const state = await this.waitFor(outcome.record.id, waitMs);
    return { ...(state ?? deliveryStateOf(outcome.record)), created };
  }

  /** Drains now, or again right after the pass in progress; resolves when that pass ends. */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      // The pass under way may have looked at the outbox before the caller's message was there.
      if (!this.followUp) {
        let resolve!: () => void;
        const promise = new Promise<void>((done) => (resolve = done));
        this.followUp = { promise, resolve };
      }
      return this.followUp.promise;
    }
    const covered = this.followUp;
    this.followUp = null;
    const pass = this.inOwnContext(() => this.drain()).finally(() => {
      this.running = null;
      covered?.resolve();
      if (this.followUp) void this.kick();
    });
    this.running = pass;
    return pass;
  }

  /** The outbox may hold messages this drainer does not know of: read it again. */
  resync(): Promise<void> {
    this.synced = false;
    return this.kick();
  }

  /** Nothing in hand and nothing known due: a sweep may look for messages put in the outbox elsewhere. */
  get idle(): boolean {
    return this.synced && !this.running && this.held.length === 0 && this.accepting.size === 0;
  }

  /** Nothing being accepted, sent or recorded, nothing held for later: a planned hand-over may close the socket now. */
  get quiet(): boolean {
    return !this.running && this.held.length === 0 && this.accepting.size === 0 && this.recording.size === 0;
  }

  /** Resolves with the message's state once it is settled or after `waitMs`, whichever is first. */
  async waitFor(outboundId: string, waitMs: number): Promise<DeliveryState | null> {
    if (waitMs <= 0) {
      // A nudge: the caller wants the state as it was asked, read before the pass it starts can change it.
      const record = await this.outbox.find(outboundId);
      void this.kick();
      return record ? deliveryStateOf(record) : null;
    }
    let timer: NodeJS.Timeout | undefined;
    let waiter!: Waiter;
    const settled = new Promise<DeliveryState | null>((resolve) => (waiter = resolve));
    const deadline = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), waitMs)));
    const waiters = this.waiters.get(outboundId) ?? new Set<Waiter>();
    this.waiters.set(outboundId, waiters);
    waiters.add(waiter);
    try {
      // Usually the pass sends the message and settle() hands over its state; the database is asked
      // only when the pass ended without settling it (sent before, retrying, paced, not connected).
      const first = await Promise.race([settled, deadline, this.kick().then((): typeof PASS_OVER => PASS_OVER)]);
      let state = first === PASS_OVER ? null : first;
      if (first === PASS_OVER) {
        const record = await this.outbox.find(outboundId);
        if (!record || SETTLED.includes(record.status)) return record ? deliveryStateOf(record) : null;
        state = await Promise.race([settled, deadline]);
      }
      if (state) return state;
      const record = await this.outbox.find(outboundId);
      return record ? deliveryStateOf(record) : null;
    } finally {
      clearTimeout(timer);
      waiters.delete(waiter);
      if (waiters.size === 0 && this.waiters.get(outboundId) === waiters) this.waiters.delete(outboundId);
    }
  }

  receipt(waMessageId: string, status: ReceiptStatus): void {
    this.writer
      .receipt({ sessionId: this.session.sessionId, waMessageId, status })
      .catch((error: Error) => this.logger.warn({ err: error, sessionId: this.session.sessionId }, 'receipt not recorded'));
  }

  /**
   * The session ended for good here (logged out, wiped, failed): what waits in its outbox will
   * never go out, so it is failed and reported, not left waiting for an owner that never comes.
   */
  async abandon(reason: string): Promise<void> {
    this.stop();
    for (const record of await this.outbox.failPending(this.session.sessionId, reason)) this.events.publish(record, 'failed', reason);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.wakeTimer);
    this.pauseTimer?.done();
    this.followUp?.resolve();
    for (const waiters of this.waiters.values()) for (const wake of waiters) wake(null);
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && this.link.connected) {
        // Held messages first: whatever the outbox holds beyond them was accepted after them, or
        // is a retry, which waits its turn anyway.
        const next = this.held.shift();
        if (next) await this.sendHeld(next);
        else if (this.synced || !(await this.stepFromStore())) return;
      }
    } catch (error) {
      // Storage trouble: read the outbox again shortly rather than leave it stuck.
      this.logger.warn({ err: error, sessionId: this.session.sessionId }, 'outbox pass failed; retrying shortly');
      this.synced = false;
      this.wakeAt(new Date(Date.now() + 1_000));
    }
  }

  /** One message from the outbox itself; false when the pass must end (lease lost, paced, stopped). */
  private async stepFromStore(): Promise<boolean> {
    const acceptsBefore = this.unclaimedAccepts;
    const holding = [...this.held.map((entry) => entry.record.id), ...this.accepting, ...this.recording];
    const paced = await this.pacer.paced(this.session.sessionId);
    const step = await this.store.advance(this.session.sessionId, this.session.epoch, holding, !paced);
    if (!step.leaseCurrent) {
      this.holder.leaseLost(this.session.sessionId, 'a newer owner took the session over');
      return false;
    }
    if (!step.next) {
      if (this.unclaimedAccepts === acceptsBefore) this.synced = true;
      this.wakeAt(step.nextRetryAt);
      return true;
    }
    if (!paced) {
      await this.sendOne(step.next, 0);
      return true;
    }
    // The permit first, then the claim: a refusal is not an attempt, the message waits in order.
    const permit = await this.pacer.reserve(this.session.sessionId, step.next.toJid, sendOriginOf(step.next));
    if (!permit.allowed) {
      this.wakeAt(permit.retryAt);
      return false;
    }
    const claim = await this.store.claim(step.next.id, this.session.sessionId, this.session.epoch);
    if (claim === 'stale') {
      this.holder.leaseLost(this.session.sessionId, 'a newer owner took the session over');
      return false;
    }
    if (claim === 'claimed') await this.sendOne({ ...step.next, status: 'sending', attempts: step.next.attempts + 1 }, permit.waitMs);
    return true;
  }

  /** A held message at its permit's time: claimed first unless it was claimed when accepted. */
  private async sendHeld({ record, notBefore, claimed }: Held): Promise<void> {
    if (claimed) return this.sendOne(record, notBefore - Date.now());
    await this.pause(notBefore - Date.now());
    if (this.stopped) return;
    const claim = await this.store.claim(record.id, this.session.sessionId, this.session.epoch);
    if (claim === 'stale') return this.holder.leaseLost(this.session.sessionId, 'a newer owner took the session over');
    // Settled meanwhile: cancelled by a queue clear, or failed by a job's deadline.
    if (claim === 'claimed') await this.sendOne({ ...record, status: 'sending', attempts: record.attempts + 1 }, 0);
  }

  /** Sends a claimed message (its `attempts` counting this one) after its pacing pause. */
  private async sendOne(message: OutboundRecord, pauseMs: number): Promise<void> {
    if (pauseMs > 0) await this.pause(pauseMs);
    // Stopped while pausing: the message stays claimed, and the session's next owner sends it.
    if (this.stopped) return;
    try {
      const media = message.content.kind === 'text' ? undefined : await this.mediaBytes(message.content.mediaId);
      await this.link.send({ to: message.toJid, messageId: message.waMessageId, content: message.content, media });
    } catch (error) {
      await this.attemptFailed(message, (error as Error).message || 'send failed');
      return;
    }
    this.recordSent(message);
  }

  /** The caller learns at once; the `sent` record and its event follow in the next batch. */
  private recordSent(message: OutboundRecord): void {
    this.recording.add(message.id);
    this.wake(message, { ...deliveryStateOf(message), status: 'sent', error: null });
    this.writer
      .markSent(message, new Date())
      .catch((error: Error) => {
        // Still `sending` in the outbox: read again, it goes out once more under its id.
        this.logger.warn({ err: error, sessionId: this.session.sessionId, outboundId: message.id }, 'sent message not recorded');
        this.synced = false;
      })
      .finally(() => this.recording.delete(message.id));
  }

  private async attemptFailed(message: OutboundRecord, reason: string): Promise<void> {
    // Dropped connection: not the message's fault; it goes out again, same id, once reconnected.
    const retries = message.attempts < (await this.pacer.maxAttempts(this.session.sessionId, sendOriginOf(message)));
    const delay = !this.link.connected ? 0 : retries ? sendRetryDelayMs(message.attempts, this.config) : null;
    if (delay === null) {
      await this.outbox.markFailed(message.id, reason);
      this.logger.warn({ sessionId: this.session.sessionId, outboundId: message.id, error: reason }, 'message failed for good');
      this.settle(message, 'failed', reason);
      return;
    }
    await this.outbox.scheduleRetry(message.id, reason, new Date(Date.now() + delay));
    this.synced = false;
    if (delay > 0) this.wakeAt(new Date(Date.now() + delay));
  }

  /** Pacing pause before a permit may be used; `stop()` cuts it short. */
  private pause(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.pauseTimer = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.pauseTimer = { timer, done };
    });
  }

  /** The time a pacing permit reserved now is for (0: no pacing), or null when the session must wait. */
  private async permitNow(recipientJid: string, origin: SendOrigin): Promise<number | null> {
    if (!(await this.pacer.paced(this.session.sessionId, origin))) return 0;
    const permit = await this.pacer.reserve(this.session.sessionId, recipientJid, origin);
    return permit.allowed ? Date.now() + permit.waitMs : null;
  }

  private async mediaBytes(mediaId: string): Promise<Buffer> {
    const media = await this.media.findWithBytes(mediaId);
    if (!media) throw new Error(`media ${mediaId} is gone`);
    return media.bytes;
  }

  private settle(message: OutboundRecord, status: DeliveryStatus, error: string | null): void {
    this.events.publish(message, status, error);
    this.wake(message, { ...deliveryStateOf(message), status, error });
  }

  private wake(message: OutboundRecord, state: DeliveryState): void {
    for (const wake of this.waiters.get(message.id) ?? []) wake(state);
    this.waiters.delete(message.id);
  }

  private wakeAt(at: Date | null): void {
    if (!at || this.stopped) return;
    clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(() => void this.resync(), Math.max(0, at.getTime() - Date.now()));
  }

  private notOwner(): AppError {
    return new AppError('WORKER_NOT_OWNER', `Session ${this.session.sessionId} left this worker`);
  }
}

function queueFull(sessionId: string, limit: number, pending = limit): AppError {
  return new AppError('RATE_LIMITED', `Session ${sessionId} already has ${pending} messages waiting to be sent`, { queued: pending, limit });
}
