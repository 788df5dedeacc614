import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import { TRACE_ID_HEADER } from '@app/observability';
import { API_KEY_HEADER } from '../credentials/credential-headers';
import { IDEMPOTENCY_KEY_HEADER } from '../idempotency/idempotency.fingerprint';
import { IDEMPOTENT_REPLAYED_HEADER } from '../idempotency/idempotency.interceptor';

/** Request headers a browser app may send: credentials, JSON bodies, idempotency, tracing, SSE resume. */
const CORS_ALLOWED_HEADERS = [
  'authorization',
  API_KEY_HEADER,
  'content-type',
  'accept',
  IDEMPOTENCY_KEY_HEADER,
  TRACE_ID_HEADER,
  'traceparent',
  'last-event-id',
];

/** Response headers a browser app may read besides the CORS-safelisted ones. */
const CORS_EXPOSED_HEADERS = [TRACE_ID_HEADER, 'retry-after', IDEMPOTENT_REPLAYED_HEADER];

/** How long a browser may cache a preflight answer (seconds). */
const PREFLIGHT_MAX_AGE_S = 600;

/**
 * Cross-origin access from ALLOWED_ORIGINS; none (no CORS headers at all) when it is empty. An
 * origin not on the list gets answers without Access-Control-Allow-Origin, which browsers refuse
 * to hand to the page. Credentials travel in headers (Authorization, x-api-key), never cookies,
 * so credentials mode is never allowed, and `*` cannot be combined with it.
 */
export function corsOptionsFor(allowedOrigins: readonly string[]): CorsOptions | null {
  if (allowedOrigins.length === 0) return null;
  return {
    origin: allowedOrigins.includes('*') ? '*' : [...allowedOrigins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    credentials: false,
    maxAge: PREFLIGHT_MAX_AGE_S,
  };
}
