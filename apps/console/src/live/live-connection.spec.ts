import type { EventSourceLike } from '@app/client';
import type { ConsoleAction } from '../state/console.reducer';
import { connectConsoleLive } from './live-connection';

type Listener = (event: { data?: string; lastEventId?: string }) => void;

/** The browser's EventSource as far as the console uses it; the test plays the gateway. */
class ScriptedEventSource implements EventSourceLike {
  static opened: ScriptedEventSource[] = [];
  readyState = 1;
  private readonly listeners = new Map<string, Listener[]>();
  constructor(readonly url: string) {
    ScriptedEventSource.opened.push(this);
  }
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.readyState = 2;
  }
  emit(type: string, id: string, data: unknown): void {
    this.listeners.get(type)?.forEach((listener) => listener({ data: JSON.stringify(data), lastEventId: id }));
  }
  fail(): void {
    this.listeners.get('error')?.forEach((listener) => listener({}));
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("the console's live connection", () => {
  beforeEach(() => {
    ScriptedEventSource.opened = [];
  });

  it('hands every event to the reducer, says when it is live, reconnects with a new ticket after the last event, and reloads after a gap', async () => {
    const actions: ConsoleAction[] = [];
    let tickets = 0;
    let gaps = 0;
    const live = connectConsoleLive({
      baseUrl: 'http://gateway.test',
      getTicket: async () => `ticket-${++tickets}`,
      dispatch: (action) => actions.push(action),
      onGap: () => (gaps += 1),
      reconnectDelayMs: 1,
      EventSource: ScriptedEventSource,
    });
    await settle();
    const first = ScriptedEventSource.opened[0];
    expect(first.url).toBe('http://gateway.test/events?ticket=ticket-1');

    first.emit('stream.ready', '1-0', { lastEventId: '1-0' });
    const qr = {
      id: '2-0',
      event: 'session.qr',
      sessionId: 'demo',
      occurredAt: '2026-12-01T10:00:00.000Z',
      data: { sessionId: 'demo', kind: 'qr', qr: 'qr-1', pairingCode: null, phone: null, at: '2026-12-01T10:00:00.000Z' },
    };
    first.emit('session.qr', '2-0', qr);
    first.fail();
    await settle();
    const second = ScriptedEventSource.opened[1];
    expect(second.url).toBe('http://gateway.test/events?ticket=ticket-2&lastEventId=2-0');
    second.emit('stream.gap', '3-0', { lastEventId: '2-0' });
    second.emit('stream.ready', '3-0', { lastEventId: '3-0' });
    live.close();

    expect(actions).toEqual([
      { type: 'stream', state: 'live' },
      { type: 'live', event: qr },
      { type: 'stream', state: 'reconnecting' },
      { type: 'stream', state: 'live' },
    ]);
    expect(gaps).toBe(1);
    expect(first.readyState).toBe(2);
    expect(second.readyState).toBe(2);
  });
});
