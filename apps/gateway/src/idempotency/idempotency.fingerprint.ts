import { createHash } from 'node:crypto';
import { AppError } from '@app/contracts';
import type { AuthenticatedRequest } from '../credentials/authenticated-request';
import type { UploadedMediaFile } from '../media/media-intake.types';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** What the interceptor reads and leaves on a request. */
export type IdempotentRequest = AuthenticatedRequest & { file?: UploadedMediaFile; idempotencyKey?: string };

const KEY = /^[\x20-\x7e]{1,255}$/;

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** The request's Idempotency-Key, undefined when absent; printable ASCII, at most 255 characters. */
export function readIdempotencyKey(request: IdempotentRequest): string | undefined {
  const raw = request.headers[IDEMPOTENCY_KEY_HEADER];
  if (raw === undefined) return undefined;
  const key = (Array.isArray(raw) ? raw.join(',') : raw).trim();
  if (!KEY.test(key)) {
    throw new AppError('INVALID_PAYLOAD', 'The Idempotency-Key header must be 1-255 printable ASCII characters', { header: 'Idempotency-Key' });
  }
  return key;
}

/**
 * Whose keys these are: two callers may pick the same key without meeting. The principal is set
 * by the authentication guard; without one (a public route) the credential sent, hashed, stands
 * in, and a request with no credential at all shares the anonymous scope.
 */
export function idempotencyScope(request: IdempotentRequest): string {
  const principal = request.principal;
  if (principal?.via === 'session-token') return `session:${principal.sessionId}`;
  if (principal?.userId) return `user:${principal.userId}`;
  if (principal) return `${principal.via}:${principal.credentialId ?? 'bootstrap'}`;
  const credential = request.headers.authorization ?? request.headers['x-api-key'];
  return credential ? `credential:${sha256(String(credential)).slice(0, 32)}` : 'anonymous';
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/** Method, path with query, body and uploaded file: what "the same request" means for a key. */
export function requestFingerprint(request: IdempotentRequest): string {
  const file = request.file ? { sha256: sha256(request.file.buffer), name: request.file.originalname, type: request.file.mimetype } : null;
  return sha256(JSON.stringify([request.method, request.originalUrl, canonical(request.body ?? null), file]));
}
