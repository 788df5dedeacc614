import {
  LIVE_EVENT_STREAM_FIELDS as FIELDS,
  LIVE_STREAM_GAP_EVENT,
  LIVE_STREAM_READY_EVENT,
  type LiveEventName,
  type LiveStreamGap,
  type LiveStreamReady,
} from '@app/contracts';

/** A Redis stream entry id, `<ms>-<seq>`: the SSE event id, and what Last-Event-ID names. */
export const STREAM_ID_PATTERN = /^\d{1,20}-\d{1,20}$/;

/** Orders two stream entry ids (negative: a is older). */
export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bMs, bSeq] = b.split('-').map(BigInt) as [bigint, bigint];
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  return aSeq === bSeq ? 0 : aSeq < bSeq ? -1 : 1;
}

/** The id right before `id` (no entry need have it): replaying after it starts at `id`. */
export function previousStreamId(id: string): string {
  const [ms, seq] = id.split('-').map(BigInt) as [bigint, bigint];
  return seq > 0n ? `${ms}-${seq - 1n}` : `${ms - 1n}-18446744073709551615`;
}

/** One event read from the stream, framed once and written as is to every client that may see it. */
export interface LiveEventFrame {
  streamId: string;
  event: LiveEventName;
  sessionId: string;
  /** The session's owner when the event was fanned out; null when the session no longer exists. */
  ownerUserId: string | null;
  text: string;
}

export type StreamEntry = [id: string, fields: string[]];

/** The stream entry's fields as stored by LiveEventPublisher. */
export function entryFields(fields: string[]): { event: LiveEventName; sessionId: string; body: string } | null {
  let event: string | undefined;
  let sessionId: string | undefined;
  let body: string | undefined;
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const value = fields[index + 1];
    if (fields[index] === FIELDS.event) event = value;
    else if (fields[index] === FIELDS.sessionId) sessionId = value;
    else if (fields[index] === FIELDS.body) body = value;
  }
  return event && sessionId && body ? { event: event as LiveEventName, sessionId, body } : null;
}

/**
 * An SSE message. JSON.stringify never puts a line break in its output, so the body is one
 * `data:` line; anything else with line breaks is split as the SSE format requires.
 */
export function sseMessage(id: string | null, event: string, data: string): string {
  const dataLines = data.includes('\n')
    ? data
        .split(/\r?\n/)
        .map((line) => `data: ${line}`)
        .join('\n')
    : `data: ${data}`;
  return `${id === null ? '' : `id: ${id}\n`}event: ${event}\n${dataLines}\n\n`;
}

/** The `stream.ready` message: live from here on, and a reconnect resumes after `id`. */
export function sseReady(id: string): string {
  const ready: LiveStreamReady = { lastEventId: id };
  return sseMessage(id, LIVE_STREAM_READY_EVENT, JSON.stringify(ready));
}

export const SSE_KEEP_ALIVE = ': keep-alive\n\n';

export const sseRetry = (ms: number): string => `retry: ${ms}\n\n`;

/** The `stream.gap` message: events after `lastEventId` up to `newestLostId` are gone. */
export function sseGap(lastEventId: string, newestLostId: string): string {
  const gap: LiveStreamGap = { lastEventId };
  return sseMessage(newestLostId, LIVE_STREAM_GAP_EVENT, JSON.stringify(gap));
}
