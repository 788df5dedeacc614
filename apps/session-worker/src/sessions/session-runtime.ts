import {
  AppError,
  type ChatHistoryPage,
  type ChatHistoryRequest,
  type ChatPresence,
  type DeliveryState,
  type LiveSessionState,
  type PairingCodeState,
  type QrState,
  type SessionStatus,
} from '@app/contracts';
import type { StatusChange } from '@app/db';
import type { SessionLease } from '@app/redis';
import type { SessionChatHistory } from '../history/session-chat-history';
import type { OutboxDrainer } from '../outbox/outbox-drainer';
import type {
  CloseReason,
  ConnectionListener,
  HistoryBatch,
  LinkedAccount,
  OutgoingMessage,
  ReceiptStatus,
  ReceivedMessage,
  WhatsAppConnection,
} from '../whatsapp/whatsapp-connection';
import { reconnectDelayMs } from './reconnect-policy';
import { SessionGroups } from './session-groups';
import type { RecordOutcome } from './session-status.recorder';

/** What a runtime needs from the worker around it (wired by SessionRuntimeFactory). */
export interface RuntimeDeps {
  workerId: string;
  open(listener: ConnectionListener): Promise<WhatsAppConnection>;
  record(change: StatusChange, reason: string | null, traceId?: string): Promise<RecordOutcome>;
  claimPhone(phone: string): Promise<{ conflictWith: string | null }>;
  clearAuthState(): Promise<void>;
  /** The runtime ended by itself (logged out, failed, lost its lease): the worker lets it go. */
  terminated(reason: string): void;
  onReconnect(): void;
  onOpened(linkedBefore: boolean, msSinceStart: number): void;
  reconnect: { baseMs: number; maxMs: number; maxAttempts: number };
  outbox: OutboxDrainer;
  received(message: ReceivedMessage): void;
  history: SessionChatHistory;
}

type Waiter<T> = { resolve: (value: T) => void; reject: (error: Error) => void };

/**
 * One session held by this worker: its WhatsApp connection and status machine (SPEC §2).
 * Connection events and commands run one at a time on a per-session queue, so a session never
 * sees two transitions interleave.
 */
export class SessionRuntime implements ConnectionListener {
  private status: SessionStatus = 'connecting';
  private since = new Date();
  private qr: string | null = null;
  private qrUpdatedAt: Date | null = null;
  private phone: string | null = null;
  private connection: WhatsAppConnection | null = null;
  private failures = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private stopped = false;
  private readonly startedAt = Date.now();
  private linkedAtStart = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly qrWaiters = new Set<Waiter<QrState>>();

  constructor(
    readonly sessionId: string,
    readonly lease: SessionLease,
    readonly epoch: number,
    private readonly deps: RuntimeDeps,
  ) {}

  get connected(): boolean {
    return this.status === 'connected';
  }

  start(traceId?: string): Promise<void> {
    return this.serial(() => this.connect(traceId));
  }

  state(): LiveSessionState {
    return {
      sessionId: this.sessionId,
      workerId: this.deps.workerId,
      status: this.status,
      connected: this.connected,
      qr: this.qr,
      qrUpdatedAt: this.qrUpdatedAt?.toISOString() ?? null,
      phone: this.phone,
      since: this.since.toISOString(),
    };
  }

  /** The live connection's send while connected (the outbox sends only then). */
  sender(): ((message: OutgoingMessage) => Promise<void>) | null {
    const connection = this.connection;
    return this.connected && connection ? (message) => connection.send(message) : null;
  }

  /** Sends what the outbox holds and waits up to `waitMs` for this message to settle. */
  async deliver(outboundId: string, waitMs: number): Promise<DeliveryState> {
    const state = await this.deps.outbox.waitFor(outboundId, waitMs);
    if (!state) throw new AppError('NOT_FOUND', `Message ${outboundId} does not exist`);
    return state;
  }

  /** Shows or clears "typing…" in a chat (seed 003: while the AI agent works on a reply). */
  async presence(chatJid: string, state: ChatPresence): Promise<void> {
    const connection = this.connection;
    if (!this.connected || !connection) throw new AppError('SESSION_NOT_READY', `Session ${this.sessionId} is ${this.status}, not connected`);
    await connection.sendPresence(chatJid, state);
  }

  /** Seed 002 chat history: what this session's connections saw, and what WhatsApp adds while connected. */
  chatHistory(query: Omit<ChatHistoryRequest, 'sessionId' | 'traceId'>): Promise<ChatHistoryPage> {
    const connection = this.connection;
    return this.deps.history.page(query, this.connected && connection ? connection : null);
  }

  /** Group operations on the live connection (seed 002); like sends, they need a connected session. */
  groups(): SessionGroups {
    const connection = this.connection;
    if (!this.connected || !connection) throw new AppError('SESSION_NOT_READY', `Session ${this.sessionId} is ${this.status}, not connected`);
    return new SessionGroups(connection.groups);
  }

  /** The outbox may hold messages (accepted elsewhere): send them if connected. */
  kickOutbox(): void {
    if (this.connected) this.deps.outbox.kick();
  }

  /** The current QR, or the next one within `timeoutMs` (connecting first if needed). */
  async awaitQr(timeoutMs: number, traceId?: string): Promise<QrState> {
    if (this.connected || this.connection?.linked) throw new AppError('CONFLICT', `Session ${this.sessionId} is already linked; it needs no QR`);
    if (this.qr && this.qrUpdatedAt) return { qr: this.qr, qrUpdatedAt: this.qrUpdatedAt.toISOString() };
    if (!this.connection && !this.reconnectTimer) await this.serial(() => this.connect(traceId));
    return new Promise<QrState>((resolve, reject) => {
      const waiter: Waiter<QrState> = {
        resolve: (qr) => {
          clearTimeout(timer);
          resolve(qr);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.qrWaiters.delete(waiter);
        reject(new AppError('SESSION_NOT_READY', `No QR for session ${this.sessionId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.qrWaiters.add(waiter);
    });
  }

  reconnect(traceId?: string): Promise<LiveSessionState> {
    return this.serial(async () => {
      this.closeConnection();
      this.failures = 0;
      await this.connect(traceId);
      return this.state();
    });
  }

  pairingCode(phone: string, traceId?: string): Promise<PairingCodeState> {
    return this.serial(async () => {
      if (this.connection?.linked) {
        throw new AppError('CONFLICT', `Session ${this.sessionId} is already registered; wipe it before pairing again`);
      }
      if (!this.connection) await this.connect(traceId);
      // Baileys can ask for a code once the socket is up, which its first QR proves.
      if (!this.qr) await this.awaitQr(20_000, traceId);
      const code = await this.connection!.requestPairingCode(phone);
      await this.transition({ status: 'pairing' }, `pairing code requested for ${phone}`, traceId);
      return { code };
    });
  }

  /** Unlinks the device on WhatsApp, forgets the credentials, never reconnects by itself. */
  logout(traceId?: string): Promise<LiveSessionState> {
    return this.serial(async () => {
      const connection = this.connection;
      this.stopped = true;
      this.clearTimers();
      if (connection?.linked && this.connected) await connection.logout().catch(() => connection.close());
      else connection?.close();
      this.connection = null;
      await this.deps.clearAuthState();
      await this.transition({ status: 'logged_out', autoConnect: false, lastDisconnectedAt: new Date() }, 'logged out by request', traceId);
      this.end('logged out by request');
      return this.state();
    });
  }

  /** Cancels any connection or pairing and wipes the credentials (seed 002 cancel-and-wipe). */
  wipe(traceId?: string): Promise<LiveSessionState> {
    return this.serial(async () => {
      this.stopped = true;
      this.closeConnection();
      await this.deps.clearAuthState();
      await this.transition({ status: 'disconnected', autoConnect: false, lastDisconnectedAt: new Date(), lastError: null }, 'wiped by request', traceId);
      this.end('wiped by request');
      return this.state();
    });
  }

  /** Closes the socket without touching the link (hand-over to another worker, shutdown). */
  stop(): void {
    this.stopped = true;
    this.deps.outbox.stop();
    this.closeConnection();
    this.rejectQrWaiters(new AppError('WORKER_NOT_OWNER', `Session ${this.sessionId} left this worker`));
  }

  onQr(qr: string): void {
    // The QR itself is published at once (a pairing-code request may be waiting for it inside the
    // queue); only the status transition takes its turn.
    this.qr = qr;
    this.qrUpdatedAt = new Date();
    const awaitingScan = this.status !== 'pairing' && !this.stopped;
    if (awaitingScan) this.setStatus('awaiting_qr');
    for (const waiter of this.qrWaiters) waiter.resolve({ qr, qrUpdatedAt: this.qrUpdatedAt.toISOString() });
    this.qrWaiters.clear();
    // Re-checked when its turn comes: a pairing-code request queued before it wins.
    void this.serial(async () => {
      if (this.status === 'awaiting_qr' && !this.stopped) await this.transition({ status: 'awaiting_qr' }, 'waiting for the QR to be scanned');
    });
  }

  onOpen(account: LinkedAccount): void {
    void this.serial(async () => {
      if (this.stopped) return;
      this.failures = 0;
      this.qr = null;
      this.qrUpdatedAt = null;
      this.rejectQrWaiters(new AppError('CONFLICT', `Session ${this.sessionId} is linked; it needs no QR`));
      const { conflictWith } = await this.deps.claimPhone(account.phone);
      if (conflictWith) return this.refuseDuplicatePhone(account.phone, conflictWith);
      this.phone = account.phone;
      this.deps.onOpened(this.linkedAtStart, Date.now() - this.startedAt);
      await this.transition({ status: 'connected', phone: account.phone, lastConnectedAt: new Date(), lastError: null }, null);
      this.deps.outbox.kick();
    });
  }

  onReceipt(messageId: string, status: ReceiptStatus): void {
    void this.deps.outbox.receipt(messageId, status);
  }

  onMessage(message: ReceivedMessage): void {
    this.deps.received(message);
  }

  onHistory(batch: HistoryBatch): void {
    this.deps.history.record(batch);
  }

  onClose(reason: CloseReason, detail: string): void {
    void this.serial(async () => {
      this.connection = null;
      if (this.stopped || reason === 'closed_by_us') return;
      await this.afterClose(reason, detail);
    });
  }

  onStorageFailure(error: Error): void {
    if (error.name === 'StaleLeaseError') void this.serial(async () => this.loseLease(error.message));
  }

  private async afterClose(reason: CloseReason, detail: string): Promise<void> {
    switch (reason) {
      case 'restart_required':
        return this.connect();
      case 'logged_out':
        await this.deps.clearAuthState();
        return this.finish({ status: 'logged_out', autoConnect: false, lastDisconnectedAt: new Date(), lastError: detail }, 'logged out from the phone');
      case 'forbidden':
      case 'bad_session':
        return this.finish({ status: 'auth_failed', autoConnect: false, lastDisconnectedAt: new Date(), lastError: detail }, `authentication failed (${detail})`);
      case 'qr_expired':
        this.qr = null;
        return this.finish({ status: 'disconnected', autoConnect: false, lastDisconnectedAt: new Date(), lastError: 'QR expired before the session was linked' }, 'QR expired');
      default:
        return this.retryLater(detail);
    }
  }

  private async retryLater(detail: string): Promise<void> {
    this.failures += 1;
    const { baseMs, maxMs, maxAttempts } = this.deps.reconnect;
    if (this.failures > maxAttempts) {
      const message = `gave up after ${maxAttempts} reconnect attempts; last error ${detail}`;
      return this.finish({ status: 'error', autoConnect: false, lastDisconnectedAt: new Date(), lastError: message }, message);
    }
    await this.transition({ status: 'disconnected', lastDisconnectedAt: new Date(), lastError: detail }, detail);
    const delay = reconnectDelayMs(this.failures, baseMs, maxMs);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.deps.onReconnect();
      void this.serial(() => this.connect());
    }, delay);
  }

  private async connect(traceId?: string): Promise<void> {
    if (this.stopped || this.connection) return;
    if ((await this.transition({ status: this.status === 'pairing' ? 'pairing' : 'connecting' }, null, traceId)) === 'stale') return;
    try {
      this.connection = await this.deps.open(this);
      this.linkedAtStart ||= this.connection.linked;
    } catch (error) {
      await this.retryLater((error as Error).message);
    }
  }

  private async refuseDuplicatePhone(phone: string, otherSessionId: string): Promise<void> {
    const message = `Phone ${phone} is already linked to session ${otherSessionId}`;
    const connection = this.connection;
    this.stopped = true;
    this.connection = null;
    await connection?.logout().catch(() => connection.close());
    await this.deps.clearAuthState();
    await this.finish({ status: 'error', autoConnect: false, lastError: `PHONE_ALREADY_LINKED: ${message}` }, message);
  }

  private async transition(change: StatusChange, reason: string | null, traceId?: string): Promise<RecordOutcome> {
    const outcome = await this.deps.record(change, reason, traceId);
    if (outcome === 'stale') {
      await this.loseLease('a newer owner took the session over');
      return outcome;
    }
    this.setStatus(change.status);
    return outcome;
  }

  private setStatus(status: SessionStatus): void {
    if (this.status !== status) this.since = new Date();
    this.status = status;
  }

  private async finish(change: StatusChange, reason: string): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    await this.transition(change, reason);
    this.end(reason);
  }

  private async loseLease(reason: string): Promise<void> {
    this.stop();
    this.end(`lease lost: ${reason}`);
  }

  private end(reason: string): void {
    this.deps.outbox.stop();
    this.deps.history.stop();
    this.rejectQrWaiters(new AppError('SESSION_NOT_READY', `Session ${this.sessionId} stopped: ${reason}`));
    this.deps.terminated(reason);
  }

  private closeConnection(): void {
    this.clearTimers();
    const connection = this.connection;
    this.connection = null;
    connection?.close();
  }

  private clearTimers(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  private rejectQrWaiters(error: Error): void {
    for (const waiter of this.qrWaiters) waiter.reject(error);
    this.qrWaiters.clear();
  }

  /** Runs work after everything queued before it on this session. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
