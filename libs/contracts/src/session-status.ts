import { AppError } from './error-codes';

/** The one session status machine (SPEC §2). Values are persisted: never rename. */
export const SESSION_STATUSES = ['awaiting_qr', 'pairing', 'connecting', 'connected', 'disconnected', 'logged_out', 'auth_failed', 'error'] as const;

export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Session ids are chosen by clients (seed 002). */
export const SESSION_ID_PATTERN = /^[a-zA-Z0-9_-]{3,50}$/;

/** Statuses a session passes through on its own (a reconnect, a takeover): a retry soon may find it connected. */
export const PASSING_STATUSES: readonly SessionStatus[] = ['connecting', 'disconnected'];

export interface SessionReadiness {
  id: string;
  status: SessionStatus;
  autoConnect: boolean;
  /** Null for a session never linked: its next stop is a QR, not `connected`. */
  lastConnectedAt: Date | null;
}

/**
 * The error for a session that cannot serve a request now: 503 SESSION_NOT_READY (with Retry-After)
 * while a linked session reconnects or moves between workers, 409 SESSION_NOT_CONNECTED when only
 * its owner can change that (link it, reconnect it after a logout or a failure).
 */
export function sessionNotConnectedError(session: SessionReadiness): AppError {
  const details = { status: session.status };
  if (session.autoConnect && session.lastConnectedAt !== null && PASSING_STATUSES.includes(session.status)) {
    return new AppError('SESSION_NOT_READY', `Session ${session.id} is ${session.status}, not connected yet; retry shortly`, {
      ...details,
      retryAfterSeconds: 2,
    });
  }
  return new AppError('SESSION_NOT_CONNECTED', `Session ${session.id} is ${session.status}, not connected`, details);
}
