import type { PinoLogger } from 'nestjs-pino';
import type { Counter, Histogram } from 'prom-client';
import type { SessionWorkerConfig } from '@app/config';
import { AppError } from '@app/contracts';
import type { SessionRepository, StatusChange } from '@app/db';
import type { LiveEventPublisher } from '@app/redis';
import type { SessionAuthStore } from '../auth-state/session-auth-store';
import type { SessionChatHistory } from '../history/session-chat-history';
import type { InboundPublisher } from '../inbound/inbound.publisher';
import type { OutboxDrainer } from '../outbox/outbox-drainer';
import type { BaileysAdapter } from '../whatsapp/baileys.adapter';
import type {
  CloseReason,
  ConnectionListener,
  HistoryBatch,
  LinkedAccount,
  ReceiptStatus,
  ReceivedMessage,
  WhatsAppConnection,
} from '../whatsapp/whatsapp-connection';
import type { HeldSession, SessionHolder } from './held-session';
import type { QrPairing } from './qr-pairing';
import { reconnectDelayMs, withStorageRetries } from './reconnect-policy';
import type { SerialQueue } from './serial-queue';
import type { SessionLink } from './session-link';
import type { SessionStatusMachine } from './session-status.machine';

/** The parts of one held session that its connection drives. */
export interface SessionParts {
  session: HeldSession;
  link: SessionLink;
  status: SessionStatusMachine;
  qr: QrPairing;
  queue: SerialQueue;
  outbox: OutboxDrainer;
  history: SessionChatHistory;
  store: SessionAuthStore;
  holder: SessionHolder;
  live: LiveEventPublisher;
}

/** Worker-wide services a session connection uses. */
export interface ConnectionServices {
  adapter: BaileysAdapter;
  sessions: SessionRepository;
  inbound: InboundPublisher;
  config: SessionWorkerConfig;
  reconnects: Counter<string>;
  restoreDuration: Histogram<string>;
  workerId: string;
  logger: PinoLogger;
}

/**
 * A held session's WhatsApp connection over time: opening the socket, following it through QR,
 * pairing and login, and deciding after every close whether to reconnect (with backoff), stop for
 * good (logged out, refused, out of attempts) or let the session go. Socket events take their
 * turn on the session's queue like commands do.
 */
export class SessionConnection implements ConnectionListener {
  private failures = 0;
  private reconnectTimer?: NodeJS.Timeout;
  /** The socket closed last, until another worker may connect (see `socketClosed`). */
  private closing?: WhatsAppConnection;
  private stopped = false;
  private readonly startedAt = Date.now();
  private linkedAtStart = false;

  constructor(
    private readonly parts: SessionParts,
    private readonly services: ConnectionServices,
  ) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Whether a socket is open or a reconnect is planned (a QR is then on its way). */
  get active(): boolean {
    return this.parts.link.current !== null || this.reconnectTimer !== undefined;
  }

  /** Opens a socket unless one is open or the session stopped (runs on the session's queue). */
  async connect(traceId?: string): Promise<void> {
    const { link, status } = this.parts;
    if (this.stopped || link.current) return;
    const change: StatusChange = { status: status.current === 'pairing' ? 'pairing' : 'connecting' };
    if ((await this.transition(change, null, traceId)) === 'stale') return;
    try {
      const connection = await this.services.adapter.open(this.parts.session.sessionId, this.parts.store, this);
      link.attach(connection);
      this.linkedAtStart ||= connection.linked;
    } catch (error) {
      await this.retryLater((error as Error).message);
    }
  }

  /** Closes the socket (keeping the link to the phone) and a planned reconnect, to connect afresh. */
  restart(): void {
    this.closeSocket();
    this.failures = 0;
  }

  /** Whether the last socket this connection closed is closed now (true when none was). */
  get socketClosed(): boolean {
    return this.closing?.closed ?? true;
  }

  /** No more sockets for this session here (hand-over, lease lost, logout, wipe). */
  stop(): void {
    this.stopped = true;
    this.closeSocket();
  }

  /** Ends the session for good with a final status, then lets it go. */
  async finish(change: StatusChange, reason: string): Promise<void> {
    this.stopped = true;
    this.clearReconnect();
    if ((await this.transition(change, reason)) === 'stale') return;
    await this.parts.outbox.abandon(`session ${change.status}: ${reason}`);
    this.parts.holder.ended(this.parts.session.sessionId, reason);
  }

  /** Records a transition; a stale one means another worker owns the session: let it go. */
  async transition(change: StatusChange, reason: string | null, traceId?: string): Promise<'recorded' | 'unchanged' | 'stale'> {
    const outcome = await this.parts.status.transition(change, reason, traceId);
    if (outcome === 'stale') this.parts.holder.leaseLost(this.parts.session.sessionId, 'a newer owner took the session over');
    return outcome;
  }

  onQr(qr: string): void {
    const { status, queue } = this.parts;
    // The QR itself is shown at once (a pairing-code request may be waiting for it on the queue);
    // only the status transition takes its turn.
    this.parts.qr.show(qr);
    void this.parts.live.qr(this.parts.session.sessionId, qr);
    if (status.current !== 'pairing' && !this.stopped) status.show('awaiting_qr');
    // Re-checked when its turn comes: a pairing-code request queued before it wins.
    void queue.run(async () => {
      if (status.current === 'awaiting_qr' && !this.stopped) await this.transition({ status: 'awaiting_qr' }, 'waiting for the QR to be scanned');
    });
  }

  onOpen(account: LinkedAccount): void {
    void this.parts.queue.run(async () => {
      if (this.stopped) return;
      const { session, qr, link, outbox } = this.parts;
      this.failures = 0;
      qr.clear();
      qr.reject(new AppError('CONFLICT', `Session ${session.sessionId} is linked; it needs no QR`));
      const { conflictWith } = await withStorageRetries(() => this.services.sessions.claimPhone(session.sessionId, account.phone));
      if (conflictWith) return this.refuseDuplicatePhone(account.phone, conflictWith);
      if (this.linkedAtStart) this.services.restoreDuration.observe({ worker: this.services.workerId }, (Date.now() - this.startedAt) / 1000);
      // Open before the status is stored: whoever reads `connected` can send at once.
      link.markOpen();
      const change: StatusChange = { status: 'connected', phone: account.phone, lastConnectedAt: new Date(), lastError: null };
      if ((await this.transition(change, null)) === 'stale') return;
      void outbox.kick();
    });
  }

  onReceipt(messageId: string, status: ReceiptStatus): void {
    this.parts.outbox.receipt(messageId, status);
  }

  onMessage(message: ReceivedMessage): void {
    const sessionId = this.parts.session.sessionId;
    this.services.inbound
      .publish(sessionId, message)
      .catch((error: Error) => this.services.logger.error({ err: error, sessionId }, 'received message not queued'));
  }

  onHistory(batch: HistoryBatch): void {
    this.parts.history.record(batch);
  }

  onClose(reason: CloseReason, detail: string): void {
    void this.parts.queue.run(async () => {
      this.parts.link.detach();
      if (this.stopped || reason === 'closed_by_us') return;
      await this.afterClose(reason, detail);
    });
  }

  onStorageFailure(error: Error): void {
    if (error.name === 'StaleLeaseError') this.parts.holder.leaseLost(this.parts.session.sessionId, error.message);
  }

  private async afterClose(reason: CloseReason, detail: string): Promise<void> {
    const now = new Date();
    switch (reason) {
      case 'restart_required':
        return this.connect();
      case 'logged_out':
        await this.parts.store.clear();
        return this.finish({ status: 'logged_out', autoConnect: false, lastDisconnectedAt: now, lastError: detail }, 'logged out from the phone');
      case 'forbidden':
      case 'bad_session':
        return this.finish({ status: 'auth_failed', autoConnect: false, lastDisconnectedAt: now, lastError: detail }, `authentication failed (${detail})`);
      case 'qr_expired':
        this.parts.qr.clear();
        return this.finish(
          { status: 'disconnected', autoConnect: false, lastDisconnectedAt: now, lastError: 'QR expired before the session was linked' },
          'QR expired',
        );
      default:
        return this.retryLater(detail);
    }
  }

  private async retryLater(detail: string): Promise<void> {
    this.failures += 1;
    const { RECONNECT_BASE_MS: baseMs, RECONNECT_MAX_MS: maxMs, RECONNECT_MAX_ATTEMPTS: maxAttempts } = this.services.config;
    if (this.failures > maxAttempts) {
      const message = `gave up after ${maxAttempts} reconnect attempts; last error ${detail}`;
      return this.finish({ status: 'error', autoConnect: false, lastDisconnectedAt: new Date(), lastError: message }, message);
    }
    if ((await this.transition({ status: 'disconnected', lastDisconnectedAt: new Date(), lastError: detail }, detail)) === 'stale') return;
    this.reconnectTimer = setTimeout(
      () => {
        this.reconnectTimer = undefined;
        this.services.reconnects.inc({ worker: this.services.workerId });
        void this.parts.queue.run(() => this.connect());
      },
      reconnectDelayMs(this.failures, baseMs, maxMs),
    );
  }

  private async refuseDuplicatePhone(phone: string, otherSessionId: string): Promise<void> {
    const message = `Phone ${phone} is already linked to session ${otherSessionId}`;
    const connection = this.parts.link.detach();
    this.stopped = true;
    await connection?.logout().catch(() => connection.close());
    await this.parts.store.clear();
    await this.finish({ status: 'error', autoConnect: false, lastError: `PHONE_ALREADY_LINKED: ${message}` }, message);
  }

  private closeSocket(): void {
    this.clearReconnect();
    const closing = this.parts.link.detach();
    closing?.close();
    if (closing) this.closing = closing;
  }

  private clearReconnect(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }
}
