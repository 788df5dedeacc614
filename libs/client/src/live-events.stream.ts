import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { LIVE_STREAM_GAP_EVENT, LIVE_STREAM_READY_EVENT, type LiveEvent, type LiveEventName, type LiveStreamGap } from '@app/contracts';
import { credentialHeaders, type GatewayCredentials } from './gateway-client';

/**
 * One message of the live-event stream: an event; `ready` once the stream follows live events
 * (after connecting, and after each reconnect's replay); `gap` when events were lost.
 */
export type LiveStreamMessage =
  { kind: 'event'; id: string; event: LiveEvent } | { kind: 'ready'; id: string } | { kind: 'gap'; id: string; gap: LiveStreamGap };

export interface LiveEventsQuery {
  /** Only these sessions; default every session the credential may see. */
  sessionIds?: string[];
  /** Only these events; default all. */
  events?: LiveEventName[];
}

export interface LiveEventStreamOptions extends GatewayCredentials, LiveEventsQuery {
  baseUrl: string;
  /** Resume after this event id (events stay replayable for the gateway's LIVE_EVENTS_RETENTION_MS). */
  lastEventId?: string;
  /** Ends the stream (the iteration then finishes without an error). */
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** Pause before reconnecting after a dropped connection (default: what the server says, else 2 s). */
  reconnectDelayMs?: number;
  /**
   * Another gateway URL for each reconnect (e.g. rotate through replicas); default `baseUrl`.
   * Any replica serves any client: the resume happens from Redis.
   */
  nextBaseUrl?: (attempt: number) => string;
}

/** The gateway refused the stream (bad filter, credential, unknown session): retrying would not help. */
export class LiveEventStreamError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`GET /events answered ${status}: ${JSON.stringify(body)}`);
    this.name = 'LiveEventStreamError';
  }
}

/** `/events?sessionId=…&event=…` (the gateway accepts repeated parameters). */
export function liveEventsPath(query: LiveEventsQuery & { ticket?: string; lastEventId?: string }): string {
  const params = new URLSearchParams();
  for (const id of query.sessionIds ?? []) params.append('sessionId', id);
  for (const event of query.events ?? []) params.append('event', event);
  if (query.ticket) params.set('ticket', query.ticket);
  if (query.lastEventId) params.set('lastEventId', query.lastEventId);
  const search = params.toString();
  return `/events${search ? `?${search}` : ''}`;
}

/** Turns one SSE message into a typed one (null for anything else). */
export function toLiveStreamMessage(message: Pick<EventSourceMessage, 'id' | 'event' | 'data'>): LiveStreamMessage | null {
  if (!message.id || !message.event || !message.data) return null;
  if (message.event === LIVE_STREAM_READY_EVENT) return { kind: 'ready', id: message.id };
  if (message.event === LIVE_STREAM_GAP_EVENT) return { kind: 'gap', id: message.id, gap: JSON.parse(message.data) as LiveStreamGap };
  return { kind: 'event', id: message.id, event: JSON.parse(message.data) as LiveEvent };
}

/**
 * Follows the gateway's live events over fetch (Node, workers, browsers): typed messages in
 * order, reconnecting with Last-Event-ID after a dropped connection so nothing is missed within
 * the retention. Credentials go in headers; in a browser `EventSource` page use openLiveEvents.
 *
 *   for await (const message of streamLiveEvents({ baseUrl, apiKey, sessionIds: ['demo'] })) { … }
 */
export async function* streamLiveEvents(options: LiveEventStreamOptions): AsyncGenerator<LiveStreamMessage> {
  const fetchImpl = options.fetch ?? fetch;
  let lastEventId = options.lastEventId;
  let serverRetryMs: number | undefined;
  for (let attempt = 0; !options.signal?.aborted; attempt += 1) {
    const baseUrl = attempt > 0 && options.nextBaseUrl ? options.nextBaseUrl(attempt) : options.baseUrl;
    const queue: LiveStreamMessage[] = [];
    const parser = createParser({
      onId: (id) => (lastEventId = id),
      onRetry: (ms) => (serverRetryMs = ms),
      onEvent: (message) => {
        const typed = toLiveStreamMessage(message);
        if (typed) queue.push(typed);
      },
    });
    try {
      const response = await fetchImpl(`${baseUrl}${liveEventsPath({ sessionIds: options.sessionIds, events: options.events })}`, {
        headers: { accept: 'text/event-stream', ...credentialHeaders(options), ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
        signal: options.signal,
      });
      if (!response.ok || !response.body) {
        // A refusal (4xx) ends the stream with this error; a failing replica (5xx) is retried below.
        throw new LiveEventStreamError(response.status, await response.json().catch(() => null));
      }
      const decoder = new TextDecoder();
      for await (const chunk of response.body) {
        parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
        while (queue.length > 0) yield queue.shift()!;
      }
    } catch (error) {
      if (options.signal?.aborted) return;
      if (error instanceof LiveEventStreamError && error.status < 500) throw error;
      // A dropped connection or a failing replica: reconnect below and resume.
    }
    await pause(options.reconnectDelayMs ?? serverRetryMs ?? 2_000, options.signal);
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });
}
