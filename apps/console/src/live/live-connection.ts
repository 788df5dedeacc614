import { LIVE_EVENT_NAMES, openLiveEvents, type EventSourceConstructor, type LiveEventsConnection } from '@app/client';
import type { ConsoleAction } from '../state/console.reducer';

export interface ConsoleLiveOptions {
  baseUrl: string;
  /** A fresh single-use ticket (POST /events/tickets with the console's credential). */
  getTicket: () => Promise<string>;
  dispatch: (action: ConsoleAction) => void;
  /** Events were lost while away (older than the gateway's retention): reload what the screen shows. */
  onGap: () => void;
  reconnectDelayMs?: number;
  EventSource?: EventSourceConstructor;
}

/**
 * The console's one live-event stream: every event of every session the credential may see,
 * each handed to the reducer; the stream's own state (live, reconnecting) too. Reconnects with
 * a new ticket and the last event id, so a dropped connection misses nothing.
 */
export function connectConsoleLive(options: ConsoleLiveOptions): LiveEventsConnection {
  const { dispatch } = options;
  const live = openLiveEvents({
    baseUrl: options.baseUrl,
    getTicket: options.getTicket,
    reconnectDelayMs: options.reconnectDelayMs,
    EventSource: options.EventSource,
    onError: () => dispatch({ type: 'stream', state: 'reconnecting' }),
  });
  for (const name of LIVE_EVENT_NAMES) live.on(name, (event) => dispatch({ type: 'live', event }));
  live.onReady(() => dispatch({ type: 'stream', state: 'live' }));
  live.onGap(() => options.onGap());
  return live;
}
