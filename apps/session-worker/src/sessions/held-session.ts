import type { SessionLease } from '@app/redis';

/** A session this worker holds: its lease and the ownership epoch that fences its writes. */
export interface HeldSession {
  readonly sessionId: string;
  readonly lease: SessionLease;
  readonly epoch: number;
}

/**
 * What a held session's parts tell the worker holding it (implemented by SessionSupervisor): the
 * session is over here, so its socket is closed and its lease let go.
 */
export interface SessionHolder {
  /** A write was refused for a stale epoch, or renewal found the lease taken: another worker owns it now. */
  leaseLost(sessionId: string, reason: string): void;
  /** The session ended by itself (logged out, failed for good, wiped). */
  ended(sessionId: string, reason: string): void;
}
