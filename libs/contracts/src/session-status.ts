/** The one session status machine (SPEC §2). Values are persisted: never rename. */
export const SESSION_STATUSES = [
  'awaiting_qr',
  'pairing',
  'connecting',
  'connected',
  'disconnected',
  'logged_out',
  'auth_failed',
  'error',
] as const;

export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Session ids are chosen by clients (seed 002). */
export const SESSION_ID_PATTERN = /^[a-zA-Z0-9_-]{3,50}$/;

/** Statuses a session passes through on its own (a reconnect, a takeover): a retry soon may find it connected. */
export const PASSING_STATUSES: readonly SessionStatus[] = ['connecting', 'disconnected'];
