/**
 * Every error code the API can answer with, and the HTTP status each one carries.
 *
 * 5xx means "not now": every fault of the suite itself (a dependency unreachable, a session
 * between owners, a worker gone or slow) is a 503 with `Retry-After` (see RETRYABLE_ERRORS).
 * The only other 5xx are the customer's own upstreams: their AI backend (502/504) and WhatsApp
 * refusing a message or a media URL failing (502). 409 is for state a retry cannot change.
 */
export const ERROR_HTTP_STATUS = {
  INVALID_PAYLOAD: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  SCHEDULE_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  CONFLICT: 409,
  /** Not linked, logged out or failed: it needs the owner's action (scan a QR, reconnect), not a retry. */
  SESSION_NOT_CONNECTED: 409,
  PHONE_ALREADY_LINKED: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  MEDIA_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  AI_DOWNSTREAM_ERROR: 502,
  BAD_GATEWAY: 502,
  NO_WORKER_AVAILABLE: 503,
  /** The addressed worker no longer holds the session (it moved); the gateway routes again. */
  WORKER_NOT_OWNER: 503,
  /** The session is between owners or reconnecting (failover, hand-over, restart): retry shortly. */
  SESSION_NOT_READY: 503,
  /** PostgreSQL or Redis is unreachable; `details.dependency` names it. */
  SERVICE_UNAVAILABLE: 503,
  /** The session's worker did not answer in time (busy, or dying); nothing was lost. */
  WORKER_TIMEOUT: 503,
  AI_TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_HTTP_STATUS;

/**
 * The codes a client should retry, with the `Retry-After` (seconds) sent when the error itself
 * names none (`details.retryAfterSeconds`). RATE_LIMITED's header comes from the rate limiter.
 */
export const RETRYABLE_ERRORS: Readonly<Partial<Record<ErrorCode, number>>> = {
  SESSION_NOT_READY: 2,
  SERVICE_UNAVAILABLE: 2,
  NO_WORKER_AVAILABLE: 5,
  WORKER_NOT_OWNER: 1,
  WORKER_TIMEOUT: 2,
  RATE_LIMITED: 1,
};

/** Seconds a client should wait before retrying this error, or undefined when a retry cannot help. */
export function retryAfterSecondsOf(code: ErrorCode, details?: Record<string, unknown>): number | undefined {
  const stated = details?.retryAfterSeconds;
  if (typeof stated === 'number' && Number.isFinite(stated) && stated >= 0) return Math.ceil(stated);
  return RETRYABLE_ERRORS[code];
}

export const isErrorCode = (value: unknown): value is ErrorCode => typeof value === 'string' && Object.hasOwn(ERROR_HTTP_STATUS, value);

/**
 * A failure the caller can act on. Thrown anywhere in the suite; the gateway's exception filter
 * turns it into the error envelope, and the worker transport carries it across processes intact.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get httpStatus(): number {
    return ERROR_HTTP_STATUS[this.code];
  }
}

/** What crosses the wire when a worker command fails with an AppError. */
export interface RemoteErrorPayload {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** The body of every error response: `{ error: { code, message, traceId } }`. */
export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; traceId: string; details?: Record<string, unknown> };
}
