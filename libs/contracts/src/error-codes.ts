/** Every error code the API can answer with, and the HTTP status each one carries. */
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
  SESSION_NOT_READY: 409,
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
  WORKER_TIMEOUT: 504,
  AI_TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_HTTP_STATUS;

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && Object.hasOwn(ERROR_HTTP_STATUS, value);

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
