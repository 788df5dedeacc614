import {
  AppError,
  PASSING_STATUSES,
  type ChatHistoryPage,
  type ChatHistoryRequest,
  type ChatPresence,
  type DeliveryState,
  type LiveSessionState,
  type OutboundDraft,
  type PairingCodeState,
  type QrState,
  type SendAcceptance,
} from '@app/contracts';
import type { SessionLease } from '@app/redis';
import type { SessionConnection, SessionParts } from './session-connection';
import { SessionGroups } from './session-groups';

/**
 * One session held by this worker, as commands see it: its live state, sends, QR and pairing,
 * reconnect, logout and wipe. Commands take their turn on the session's queue with the
 * connection's events, so a session never sees two transitions interleave.
 */
export class SessionRuntime {
  constructor(
    private readonly parts: SessionParts,
    private readonly connection: SessionConnection,
    private readonly workerId: string,
  ) {}

  get sessionId(): string {
    return this.parts.session.sessionId;
  }

  get lease(): SessionLease {
    return this.parts.session.lease;
  }

  get epoch(): number {
    return this.parts.session.epoch;
  }

  get connected(): boolean {
    return this.parts.link.connected;
  }

  /** Nothing in hand to send and nothing known due (sweeps look for messages put in elsewhere). */
  get outboxIdle(): boolean {
    return this.parts.outbox.idle;
  }

  /**
   * Nothing in flight: no send being accepted, sent or recorded, none held for later, no auth-state
   * write on its way. A planned hand-over waits for this before closing the socket and after.
   */
  /** Nothing on its way out: no send, no auth write, and no socket still closing. */
  get quiet(): boolean {
    return this.parts.outbox.quiet && this.parts.store.settled && this.connection.socketClosed;
  }

  start(traceId?: string): Promise<void> {
    return this.parts.queue.run(() => this.connection.connect(traceId));
  }

  state(): LiveSessionState {
    const { status, qr } = this.parts;
    const current = qr.current;
    return {
      sessionId: this.sessionId,
      workerId: this.workerId,
      status: status.current,
      connected: this.connected,
      qr: current?.qr ?? null,
      qrUpdatedAt: current?.qrUpdatedAt ?? null,
      phone: status.linkedPhone,
      since: status.currentSince.toISOString(),
    };
  }

  /** Accepts a message into the outbox and waits up to `waitMs` for it to go out. */
  send(draft: OutboundDraft, waitMs: number): Promise<SendAcceptance> {
    this.assertConnected();
    return this.parts.outbox.accept(draft, waitMs);
  }

  /** Sends what the outbox holds and waits up to `waitMs` for this message to settle. */
  async deliver(outboundId: string, waitMs: number): Promise<DeliveryState> {
    const state = await this.parts.outbox.waitFor(outboundId, waitMs);
    if (!state) throw new AppError('NOT_FOUND', `Message ${outboundId} does not exist`);
    return state;
  }

  /** The outbox may hold messages put in elsewhere: read it again. */
  resyncOutbox(): void {
    if (this.connected) void this.parts.outbox.resync();
  }

  /** Shows or clears "typing…" in a chat (seed 003: while the AI agent works on a reply). */
  async presence(chatJid: string, state: ChatPresence): Promise<void> {
    this.assertConnected();
    await this.parts.link.live().sendPresence(chatJid, state);
  }

  /** Seed 002 chat history: what this session's sockets saw, and what WhatsApp adds while connected. */
  chatHistory(query: Omit<ChatHistoryRequest, 'sessionId' | 'traceId'>): Promise<ChatHistoryPage> {
    const { link, history } = this.parts;
    return history.page(query, link.connected ? link.current : null);
  }

  /** Group operations on the live connection (seed 002); like sends, they need a connected session. */
  groups(): SessionGroups {
    this.assertConnected();
    return new SessionGroups(this.parts.link.live().groups);
  }

  /** The current QR, or the next one within `timeoutMs` (connecting first if needed). */
  async awaitQr(timeoutMs: number, traceId?: string): Promise<QrState> {
    const { link, qr, queue } = this.parts;
    if (this.connected || link.current?.linked) throw new AppError('CONFLICT', `Session ${this.sessionId} is already linked; it needs no QR`);
    if (qr.current) return qr.current;
    if (!this.connection.active) await queue.run(() => this.connection.connect(traceId));
    return qr.next(timeoutMs);
  }

  reconnect(traceId?: string): Promise<LiveSessionState> {
    return this.parts.queue.run(async () => {
      this.connection.restart();
      await this.connection.connect(traceId);
      return this.state();
    });
  }

  pairingCode(phone: string, traceId?: string): Promise<PairingCodeState> {
    return this.parts.queue.run(async () => {
      const { link, qr } = this.parts;
      if (link.current?.linked) throw new AppError('CONFLICT', `Session ${this.sessionId} is already registered; wipe it before pairing again`);
      if (!link.current) await this.connection.connect(traceId);
      // Baileys can ask for a code once the socket is up, which its first QR proves.
      if (!qr.current) await qr.next(20_000);
      const socket = link.current;
      if (!socket) throw new AppError('SESSION_NOT_READY', `Session ${this.sessionId} has no connection to pair`);
      const code = await socket.requestPairingCode(phone);
      void this.parts.live.pairingCode(this.sessionId, phone, code);
      await this.connection.transition({ status: 'pairing' }, `pairing code requested for ${phone}`, traceId);
      return { code };
    });
  }

  /** Unlinks the device on WhatsApp, forgets the credentials, never reconnects by itself. */
  logout(traceId?: string): Promise<LiveSessionState> {
    return this.parts.queue.run(async () => {
      const socket = this.connected ? this.parts.link.detach() : null;
      this.connection.stop();
      if (socket?.linked) await socket.logout().catch(() => socket.close());
      else socket?.close();
      return this.forget({ status: 'logged_out', autoConnect: false, lastDisconnectedAt: new Date() }, 'logged out by request', traceId);
    });
  }

  /** Cancels any connection or pairing and wipes the credentials (seed 002 cancel-and-wipe). */
  wipe(traceId?: string): Promise<LiveSessionState> {
    return this.parts.queue.run(async () => {
      this.connection.stop();
      return this.forget({ status: 'disconnected', autoConnect: false, lastDisconnectedAt: new Date(), lastError: null }, 'wiped by request', traceId);
    });
  }

  /** Closes the socket without touching the link (hand-over to another worker, shutdown, lost lease). */
  stop(): void {
    this.connection.stop();
    this.parts.outbox.stop();
    this.parts.history.stop();
    this.parts.qr.reject(new AppError('WORKER_NOT_OWNER', `Session ${this.sessionId} left this worker`));
  }

  private async forget(change: Parameters<SessionConnection['transition']>[0], reason: string, traceId?: string): Promise<LiveSessionState> {
    this.parts.outbox.stop();
    this.parts.history.stop();
    await this.parts.store.clear();
    if ((await this.connection.transition(change, reason, traceId)) !== 'stale') await this.parts.outbox.abandon(`session ${change.status}: ${reason}`);
    this.parts.qr.reject(new AppError('SESSION_NOT_READY', `Session ${this.sessionId} stopped: ${reason}`));
    this.parts.holder.ended(this.sessionId, reason);
    return this.state();
  }

  /**
   * Sends and other live commands need a connected session. A session passing through a reconnect
   * or a takeover is worth a retry shortly (503 with Retry-After); one waiting for a QR scan,
   * logged out or failed needs someone to act first (409).
   */
  private assertConnected(): void {
    if (this.connected) return;
    const status = this.parts.status.current;
    const passing = PASSING_STATUSES.includes(status) && !this.connection.isStopped;
    if (passing) throw new AppError('SESSION_NOT_READY', `Session ${this.sessionId} is ${status}, not connected`, { status, retryAfterSeconds: 2 });
    throw new AppError('SESSION_NOT_CONNECTED', `Session ${this.sessionId} is ${status}, not connected`, { status });
  }
}
