import { sendOriginOf, SETTLED, type DeliveryState, type DeliveryStatus, type SendOrigin } from '@app/contracts';
import { deliveryStateOf, type OutboundRecord, type OutboxStep } from '@app/db';
import type { PacingDecision } from '@app/redis';
import type { OutgoingMessage, ReceiptStatus } from '../whatsapp/whatsapp-connection';

/** What a drainer needs from the worker around it (wired by the runtime factory). */
export interface OutboxDeps {
  /** Records `sentId` as sent (if any) and claims (`claim`) or only reads the next message due, in one round trip. */
  advance(sentId: string | null, claim: boolean): Promise<OutboxStep>;
  find(outboundId: string): Promise<OutboundRecord | null>;
  claim(outboundId: string): Promise<'claimed' | 'settled' | 'stale'>;
  markSent(outboundId: string): Promise<void>;
  retryLater(outboundId: string, error: string, at: Date): Promise<void>;
  markFailed(outboundId: string, error: string): Promise<void>;
  applyReceipt(waMessageId: string, status: ReceiptStatus): Promise<void>;
  /** Whether any of the session's pacing profiles limits anything; without one, no permit is asked for. */
  paced(): Promise<boolean>;
  reserve(recipientJid: string, origin: SendOrigin): Promise<PacingDecision>;
  mediaBytes(mediaId: string): Promise<Buffer>;
  /** The live connection's send, or null while not connected. */
  sender(): ((message: OutgoingMessage) => Promise<void>) | null;
  retryDelayMs(attemptsMade: number, origin: SendOrigin): Promise<number | null>;
  statusChanged(record: OutboundRecord, status: DeliveryStatus, error: string | null): void;
  leaseLost(): void;
  failed(error: Error): void;
}

/** Woken with the settled state, or with null when the drainer stops. */
type Waiter = (state: DeliveryState | null) => void;

const PASS_OVER = Symbol('pass over');

/**
 * Sends one session's outbox, oldest first, one message at a time: claim (fenced by the lease
 * epoch), pacing permit, send with the message's fixed id, record the outcome. Recording a sent
 * message rides along with claiming the next one, so a steady stream costs one statement per
 * message; at most one message is claimed but not yet sent, and one sent but not yet recorded
 * (a new owner sends either again, with the same id). With pacing configured, the permit is taken
 * before the claim, so a refused message is not an attempt. It runs while the session is
 * connected and stops when there is nothing due; a wake-up timer covers retries and pacing
 * refusals, and callers can wait for a message to settle.
 */
export class OutboxDrainer {
  private running: Promise<void> | null = null;
  /** Resolves when the pass run after the current one ends (requests that came in mid-pass). */
  private followUp: { promise: Promise<void>; resolve: () => void } | null = null;
  private stopped = false;
  private wakeTimer?: NodeJS.Timeout;
  /** Handed to WhatsApp, not yet recorded as sent: the next step records it. */
  private unrecorded: OutboundRecord | null = null;
  private readonly waiters = new Map<string, Set<Waiter>>();

  constructor(private readonly deps: OutboxDeps) {}

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
    const pass = this.drain().finally(() => {
      this.running = null;
      covered?.resolve();
      if (this.followUp) void this.kick();
    });
    this.running = pass;
    return pass;
  }

  /** Resolves with the message's state once it is settled or after `waitMs`, whichever is first. */
  async waitFor(outboundId: string, waitMs: number): Promise<DeliveryState | null> {
    if (waitMs <= 0) {
      // A nudge: the caller wants the state as it was asked, read before the pass it starts can change it.
      const record = await this.deps.find(outboundId);
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
        const record = await this.deps.find(outboundId);
        if (!record || SETTLED.includes(record.status)) return record ? deliveryStateOf(record) : null;
        state = await Promise.race([settled, deadline]);
      }
      if (state) return state;
      const record = await this.deps.find(outboundId);
      return record ? deliveryStateOf(record) : null;
    } finally {
      clearTimeout(timer);
      waiters.delete(waiter);
      if (waiters.size === 0 && this.waiters.get(outboundId) === waiters) this.waiters.delete(outboundId);
    }
  }

  async receipt(waMessageId: string, status: ReceiptStatus): Promise<void> {
    await this.deps.applyReceipt(waMessageId, status);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.wakeTimer);
    this.followUp?.resolve();
    for (const waiters of this.waiters.values()) for (const wake of waiters) wake(null);
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const sent = this.unrecorded;
        if (this.stopped || !this.deps.sender()) {
          if (sent) await this.deps.markSent(sent.id);
          this.unrecorded = null;
          if (sent) this.settle(sent, 'sent', null);
          return;
        }
        const paced = await this.deps.paced();
        const step = await this.deps.advance(sent?.id ?? null, !paced);
        this.unrecorded = null;
        if (sent) this.settle(sent, 'sent', null);
        if (!step.leaseCurrent) return this.deps.leaseLost();
        if (!step.next) return this.wakeAt(step.nextRetryAt);
        if (paced) {
          const claimed = await this.paceAndClaim(step.next);
          if (claimed === 'stop') return;
          if (claimed) await this.sendOne(claimed);
        } else {
          await this.sendOne(step.next);
        }
      }
    } catch (error) {
      // Storage trouble: try again shortly rather than leave the outbox stuck.
      this.deps.failed(error as Error);
      this.wakeAt(new Date(Date.now() + 1_000));
    }
  }

  /** The permit first, then the claim: a refusal is not an attempt, the message waits in order. */
  private async paceAndClaim(message: OutboundRecord): Promise<OutboundRecord | null | 'stop'> {
    const permit = await this.deps.reserve(message.toJid, sendOriginOf(message));
    if (!permit.allowed) {
      this.wakeAt(permit.retryAt);
      return 'stop';
    }
    if (permit.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, permit.waitMs));
    if (this.stopped) return 'stop';
    const claim = await this.deps.claim(message.id);
    if (claim === 'stale') {
      this.deps.leaseLost();
      return 'stop';
    }
    return claim === 'claimed' ? { ...message, status: 'sending', attempts: message.attempts + 1 } : null;
  }

  /** Sends a claimed message (its `attempts` counting this one); a success is recorded by the next step. */
  private async sendOne(message: OutboundRecord): Promise<void> {
    try {
      const send = this.deps.sender();
      if (!send) throw new Error('not connected');
      const media = message.content.kind === 'text' ? undefined : await this.deps.mediaBytes(message.content.mediaId);
      await send({ to: message.toJid, messageId: message.waMessageId, content: message.content, media });
      this.unrecorded = message;
    } catch (error) {
      const reason = (error as Error).message || 'send failed';
      // Dropped connection: not the message's fault; it goes out again, same id, once reconnected.
      const delay = this.deps.sender() ? await this.deps.retryDelayMs(message.attempts, sendOriginOf(message)) : 0;
      if (delay === null) {
        await this.deps.markFailed(message.id, reason);
        this.settle(message, 'failed', reason);
      } else {
        await this.deps.retryLater(message.id, reason, new Date(Date.now() + delay));
        if (delay > 0) this.wakeAt(new Date(Date.now() + delay));
      }
    }
  }

  private settle(message: OutboundRecord, status: DeliveryStatus, error: string | null): void {
    this.deps.statusChanged(message, status, error);
    const state = { ...deliveryStateOf(message), status, error };
    for (const wake of this.waiters.get(message.id) ?? []) wake(state);
    this.waiters.delete(message.id);
  }

  private wakeAt(at: Date | null): void {
    if (!at || this.stopped) return;
    clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(() => void this.kick(), Math.max(0, at.getTime() - Date.now()));
  }
}
