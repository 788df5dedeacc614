import type { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_HTTP_STATUS, RETRYABLE_ERRORS, type ErrorCode } from '@app/contracts';
import { AUTH_EXTENSIONS } from '../credentials/auth.decorators';
import { ErrorEnvelopeDto } from '../errors/error-envelope.dto';

/** The vendor extension listing, per operation, the error codes a client should retry. */
const RETRYABLE_EXTENSION = 'x-retryable-errors';

const IDEMPOTENCY_HEADER = 'idempotency-key';

/** Codes a session's worker can answer with while the session moves or reconnects. */
const SESSION_FAULTS: ErrorCode[] = ['SESSION_NOT_READY', 'WORKER_TIMEOUT', 'WORKER_NOT_OWNER', 'NO_WORKER_AVAILABLE'];

interface Operation {
  parameters?: Array<{ in?: string; name?: string }>;
  responses?: Record<string, unknown>;
  [extension: string]: unknown;
}

const retryAfterHeader = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } },
};

/**
 * Which answers of each operation a client should retry, derived from what the operation is (every
 * one can meet an unreachable database or Redis and the rate limit; one acting on a session can
 * meet it between owners; one taking an Idempotency-Key can meet that key still running), so no
 * route repeats it. Adds `x-retryable-errors` and the 503 answer with its Retry-After header.
 */
export function documentRetryableErrors(document: OpenAPIObject): void {
  for (const pathItem of Object.values(document.paths)) {
    for (const value of Object.values(pathItem)) {
      const operation = value as Operation;
      if (typeof operation !== 'object' || !operation.responses) continue;
      const codes: ErrorCode[] = ['SERVICE_UNAVAILABLE', 'RATE_LIMITED'];
      if (operation[AUTH_EXTENSIONS.sessionParam]) codes.push(...SESSION_FAULTS);
      const idempotent = operation.parameters?.some((parameter) => parameter.in === 'header' && parameter.name?.toLowerCase() === IDEMPOTENCY_HEADER);
      const retryable = codes.map((code) => ({ code, status: ERROR_HTTP_STATUS[code], retryAfterSeconds: RETRYABLE_ERRORS[code] }));
      if (idempotent) retryable.push({ code: 'CONFLICT', status: ERROR_HTTP_STATUS.CONFLICT, retryAfterSeconds: 1 });
      operation[RETRYABLE_EXTENSION] = retryable;
      const unavailable = codes.filter((code) => ERROR_HTTP_STATUS[code] === 503);
      // /health documents its own 503 (Terminus' report naming the dependency that is down).
      operation.responses['503'] ??= {
        description: `Temporarily unavailable, retry after Retry-After seconds: ${unavailable.join(', ')}`,
        headers: retryAfterHeader,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${ErrorEnvelopeDto.name}` } } },
      };
    }
  }
}
