import { LIVE_EVENT_NAMES, LIVE_STREAM_GAP_EVENT, LIVE_STREAM_READY_EVENT, type LiveEvent, type LiveEventName, type LiveStreamGap } from '@app/contracts';
import { liveEventsPath, toLiveStreamMessage, type LiveEventsQuery } from './live-events.stream';

/** The part of the browser's EventSource this helper uses (undici's works in Node too). */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: { data?: string; lastEventId?: string }) => void): void;
  close(): void;
}
export type EventSourceConstructor = new (url: string) => EventSourceLike;

export interface OpenLiveEventsOptions extends LiveEventsQuery {
  /** The gateway's origin (`''` for the page's own origin when the gateway serves the page). */
  baseUrl: string;
  /** A fresh ticket for each connection: POST /events/tickets with the page's credential. */
  getTicket: () => Promise<string>;
  /** Resume after this event id. */
  lastEventId?: string;
  /** Pause before reconnecting after an error (default 2 s). */
  reconnectDelayMs?: number;
  /** Called when connecting fails (a ticket could not be had, the stream broke); reconnecting goes on. */
  onError?: (error: unknown) => void;
  /** The EventSource class (default: the browser's). */
  EventSource?: EventSourceConstructor;
}

type Handler<E extends LiveEventName> = (event: LiveEvent<E>) => void;

export interface LiveEventsConnection {
  /** Calls `handler` with each event of this name, typed by it. */
  on<E extends LiveEventName>(event: E, handler: Handler<E>): LiveEventsConnection;
  /** Events were lost (older than the retention): reload state over REST. */
  onGap(handler: (gap: LiveStreamGap) => void): LiveEventsConnection;
  /** The stream follows live events (after connecting, and after each reconnect's replay). */
  onReady(handler: () => void): LiveEventsConnection;
  /** The id of the last event received (what a reconnect resumes from). */
  readonly lastEventId: string | undefined;
  close(): void;
}

const CLOSED = 2;

/**
 * Live events in a browser through EventSource. EventSource cannot send credential headers, so
 * each connection uses a single-use ticket; when a connection breaks, this closes it and opens a
 * new one with a fresh ticket and the last event id, so nothing is missed within the retention.
 *
 *   const live = openLiveEvents({ baseUrl, getTicket, sessionIds: ['demo'] });
 *   live.on('session.qr', (event) => showQr(event.data.qr));
 */
export function openLiveEvents(options: OpenLiveEventsOptions): LiveEventsConnection {
  const EventSourceClass = options.EventSource ?? (globalThis as unknown as { EventSource: EventSourceConstructor }).EventSource;
  const handlers = new Map<string, Array<(event: LiveEvent) => void>>();
  const gapHandlers: Array<(gap: LiveStreamGap) => void> = [];
  const readyHandlers: Array<() => void> = [];
  let lastEventId = options.lastEventId;
  let source: EventSourceLike | null = null;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const deliver = (name: string, message: { data?: string; lastEventId?: string }) => {
    const typed = toLiveStreamMessage({ id: message.lastEventId, event: name, data: message.data ?? '' });
    if (!typed) return;
    lastEventId = typed.id;
    if (typed.kind === 'gap') gapHandlers.forEach((handler) => handler(typed.gap));
    else if (typed.kind === 'ready') readyHandlers.forEach((handler) => handler());
    else if (typed.kind === 'event') handlers.get(typed.event.event)?.forEach((handler) => handler(typed.event));
  };

  const reconnectLater = (error: unknown) => {
    options.onError?.(error);
    if (!closed) retryTimer = setTimeout(() => void connect(), options.reconnectDelayMs ?? 2_000);
  };

  async function connect(): Promise<void> {
    if (closed) return;
    let ticket: string;
    try {
      ticket = await options.getTicket();
    } catch (error) {
      return reconnectLater(error);
    }
    if (closed) return;
    const path = liveEventsPath({ sessionIds: options.sessionIds, events: options.events, ticket, lastEventId });
    const current = new EventSourceClass(`${options.baseUrl}${path}`);
    source = current;
    for (const name of [...LIVE_EVENT_NAMES, LIVE_STREAM_GAP_EVENT, LIVE_STREAM_READY_EVENT])
      current.addEventListener(name, (message) => deliver(name, message));
    current.addEventListener('error', () => {
      // EventSource would retry with the same URL, but the ticket is spent: start over with a new one.
      if (source !== current) return;
      current.close();
      source = null;
      reconnectLater(new Error(current.readyState === CLOSED ? 'live events: connection refused' : 'live events: connection lost'));
    });
  }

  void connect();
  const connection: LiveEventsConnection = {
    on(event, handler) {
      const list = handlers.get(event) ?? [];
      list.push(handler as (event: LiveEvent) => void);
      handlers.set(event, list);
      return connection;
    },
    onGap(handler) {
      gapHandlers.push(handler);
      return connection;
    },
    onReady(handler) {
      readyHandlers.push(handler);
      return connection;
    },
    get lastEventId() {
      return lastEventId;
    },
    close() {
      closed = true;
      clearTimeout(retryTimer);
      source?.close();
      source = null;
    },
  };
  return connection;
}
