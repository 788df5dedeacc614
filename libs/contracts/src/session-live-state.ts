import type { SessionStatus } from './session-status';

/** What the owning worker knows about a session right now (the persisted record is the other half). */
export interface LiveSessionState {
  sessionId: string;
  workerId: string;
  status: SessionStatus;
  connected: boolean;
  /** Latest QR string while the session waits to be linked, else null. */
  qr: string | null;
  qrUpdatedAt: string | null;
  phone: string | null;
  /** When the current status began. */
  since: string;
}

export interface QrState {
  qr: string;
  qrUpdatedAt: string;
}

export interface PairingCodeState {
  code: string;
}
