import { AppError, type QrState } from '@app/contracts';

type Waiter = { resolve: (qr: QrState) => void; reject: (error: Error) => void };

/**
 * A session's QR while it waits to be linked: the latest value, and callers waiting for the next
 * one (a new session's first QR, a pairing-code request that needs the socket up).
 */
export class QrPairing {
  private value: QrState | null = null;
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly sessionId: string) {}

  get current(): QrState | null {
    return this.value;
  }

  /** A new QR from WhatsApp: kept and handed to everyone waiting. */
  show(qr: string): QrState {
    this.value = { qr, qrUpdatedAt: new Date().toISOString() };
    for (const waiter of this.waiters) waiter.resolve(this.value);
    this.waiters.clear();
    return this.value;
  }

  /** The session is linked, or gave up waiting: no QR any more. */
  clear(): void {
    this.value = null;
  }

  /** The current QR, or the next one within `timeoutMs`. */
  next(timeoutMs: number): Promise<QrState> {
    if (this.value) return Promise.resolve(this.value);
    return new Promise<QrState>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new AppError('SESSION_NOT_READY', `No QR for session ${this.sessionId} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        resolve: (qr) => {
          clearTimeout(timer);
          resolve(qr);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Everyone waiting learns why no QR is coming. */
  reject(error: Error): void {
    for (const waiter of this.waiters) waiter.reject(error);
    this.waiters.clear();
  }
}
