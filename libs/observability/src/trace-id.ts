import { randomUUID } from 'node:crypto';

export const TRACE_ID_HEADER = 'x-request-id';

const ACCEPTABLE_TRACE_ID = /^[A-Za-z0-9._:-]{8,128}$/;
/** W3C traceparent: version-traceid-parentid-flags; the 32-hex trace id is what we carry. */
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

type HeaderBag = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

export const newTraceId = (): string => randomUUID();

/**
 * The caller's trace id when it sent a usable one (`x-request-id`, else `traceparent`),
 * otherwise a fresh one. Anything odd-looking is replaced, so ids are safe to log and echo.
 */
export function resolveTraceId(headers: HeaderBag): string {
  const requestId = first(headers[TRACE_ID_HEADER])?.trim();
  if (requestId && ACCEPTABLE_TRACE_ID.test(requestId)) return requestId;
  const traceparent = first(headers.traceparent)?.trim().toLowerCase();
  const match = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (match?.[1] && !/^0+$/.test(match[1])) return match[1];
  return newTraceId();
}
