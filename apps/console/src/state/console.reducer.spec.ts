import type { components, LiveEvent } from '@app/client';
import { consoleReducer, initialConsoleState, MESSAGES_KEPT, sortedSessions, type ConsoleAction, type ConsoleState } from './console.reducer';

type SessionDto = components['schemas']['SessionDto'];

const session = (overrides: Partial<SessionDto> = {}): SessionDto => ({
  id: 'demo',
  agentId: 'demo',
  userId: 'client-1',
  ownerId: 'owner-1',
  name: 'Demo',
  agentName: 'Demo',
  status: 'awaiting_qr',
  phone: null,
  workerId: 'worker-1',
  autoConnect: true,
  lastError: null,
  aiEndpointUrl: null,
  hasApiKey: false,
  lastConnectedAt: null,
  lastDisconnectedAt: null,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  live: { isReady: false, status: 'awaiting_qr', workerId: 'worker-1', qr: null, since: '2026-12-01T10:00:00.000Z' },
  liveState: { isReady: false, hasClient: true, sessionState: 'awaiting_qr' },
  ...overrides,
});

const envelope = <E extends LiveEvent['event']>(event: E, data: Extract<LiveEvent, { event: E }>['data']): ConsoleAction => ({
  type: 'live',
  event: { id: '1-0', event, sessionId: (data as { sessionId: string }).sessionId, occurredAt: '2026-12-01T10:00:00.000Z', data } as LiveEvent,
});

const statusEvent = (status: string, at: string, extra: Record<string, unknown> = {}) =>
  envelope('session.status', {
    eventId: `e-${status}-${at}`,
    sessionId: 'demo',
    userId: 'owner-1',
    status,
    previousStatus: null,
    workerId: 'worker-2',
    phone: null,
    reason: null,
    at,
    traceId: 't',
    ...extra,
  } as never);

const qrEvent = (qr: string, at: string) => envelope('session.qr', { sessionId: 'demo', kind: 'qr', qr, pairingCode: null, phone: null, at });

const deliveryEvent = (outboundId: string, status: string, at: string) =>
  envelope('message.status', { sessionId: 'demo', outboundId, waMessageId: 'wa-1', to: '6281222222222@s.whatsapp.net', status, error: null, at } as never);

const run = (...actions: ConsoleAction[]): ConsoleState => actions.reduce(consoleReducer, initialConsoleState);

describe('the console state', () => {
  it('lists the loaded sessions and drops those no longer listed', () => {
    const state = run(
      { type: 'sessions.loaded', sessions: [session(), session({ id: 'other', name: 'Another' })] },
      { type: 'sessions.loaded', sessions: [session()] },
    );
    expect(state.sessionsLoaded).toBe(true);
    expect(sortedSessions(state).map((row) => row.id)).toEqual(['demo']);
    expect(state.sessions.demo).toMatchObject({ name: 'Demo', ownerId: 'owner-1', status: 'awaiting_qr', workerId: 'worker-1' });
  });

  it('moves a session to connected from its status event, with the phone, the worker and no last error', () => {
    const state = run(
      { type: 'sessions.loaded', sessions: [session({ lastError: 'QR expired before the session was linked' })] },
      qrEvent('qr-1', '2026-12-01T10:00:01.000Z'),
      statusEvent('connected', '2026-12-01T10:00:05.000Z', { phone: '6281111111111' }),
    );
    expect(state.sessions.demo).toMatchObject({ status: 'connected', phone: '6281111111111', workerId: 'worker-2', lastError: null });
    expect(state.prompts.demo).toBeUndefined();
  });

  it('keeps a failure reason as the last error', () => {
    const state = run(
      { type: 'sessions.loaded', sessions: [session({ status: 'connected' })] },
      statusEvent('logged_out', '2026-12-01T10:00:05.000Z', { reason: 'logged out from the phone' }),
    );
    expect(state.sessions.demo).toMatchObject({ status: 'logged_out', lastError: 'logged out from the phone' });
  });

  it('does not let an older REST answer undo a newer live status', () => {
    const state = run(statusEvent('connected', '2026-12-01T10:00:05.000Z', { phone: '6281111111111' }), {
      type: 'session.loaded',
      session: session({
        status: 'awaiting_qr',
        live: { isReady: false, status: 'awaiting_qr', workerId: 'worker-1', qr: null, since: '2026-12-01T10:00:00.000Z' },
      }),
    });
    expect(state.sessions.demo).toMatchObject({ status: 'connected', name: 'Demo', phone: '6281111111111' });
    const stale = run(statusEvent('connected', '2026-12-01T10:00:05.000Z'), statusEvent('awaiting_qr', '2026-12-01T10:00:02.000Z'));
    expect(stale.sessions.demo?.status).toBe('connected');
  });

  it("adds a session it hears of only through an event, owned by the event's user", () => {
    const state = run(statusEvent('connecting', '2026-12-01T10:00:05.000Z'));
    expect(state.sessions.demo).toMatchObject({ id: 'demo', name: 'demo', ownerId: 'owner-1', status: 'connecting' });
  });

  it('shows each new QR as it rotates, never an older one', () => {
    const rotated = run(qrEvent('qr-1', '2026-12-01T10:00:01.000Z'), qrEvent('qr-2', '2026-12-01T10:00:21.000Z'));
    expect(rotated.prompts.demo).toMatchObject({ kind: 'qr', qr: 'qr-2' });
    const late = consoleReducer(rotated, { type: 'prompt.loaded', sessionId: 'demo', qr: 'qr-1', at: '2026-12-01T10:00:01.000Z' });
    expect(late.prompts.demo?.qr).toBe('qr-2');
    const first = run({ type: 'prompt.loaded', sessionId: 'demo', qr: 'qr-0', at: '2026-12-01T10:00:00.000Z' });
    expect(first.prompts.demo).toMatchObject({ kind: 'qr', qr: 'qr-0' });
  });

  it('moves a sent message forward to delivered and read, never back', () => {
    const accepted = run({
      type: 'message.accepted',
      sessionId: 'demo',
      to: '081222222222',
      summary: 'Halo!',
      result: { delivered: true, messageId: 'out-1', waMessageId: 'wa-1', status: 'sent' },
    });
    expect(accepted.sent.demo).toEqual([expect.objectContaining({ outboundId: 'out-1', summary: 'Halo!', status: 'sent' })]);
    const read = [
      deliveryEvent('out-1', 'delivered', '2026-12-01T10:00:02.000Z'),
      deliveryEvent('out-1', 'read', '2026-12-01T10:00:03.000Z'),
      deliveryEvent('out-1', 'delivered', '2026-12-01T10:00:04.000Z'),
    ].reduce(consoleReducer, accepted);
    expect(read.sent.demo).toEqual([expect.objectContaining({ outboundId: 'out-1', summary: 'Halo!', status: 'read', at: '2026-12-01T10:00:03.000Z' })]);
  });

  it("keeps a status that arrived before the send's own answer", () => {
    const state = run(deliveryEvent('out-1', 'delivered', '2026-12-01T10:00:02.000Z'), {
      type: 'message.accepted',
      sessionId: 'demo',
      to: '081222222222',
      summary: 'Halo!',
      result: { delivered: true, messageId: 'out-1', waMessageId: 'wa-1', status: 'sent' },
    });
    expect(state.sent.demo).toEqual([expect.objectContaining({ outboundId: 'out-1', summary: 'Halo!', status: 'delivered' })]);
  });

  it('lists received messages newest first, once each, at most MESSAGES_KEPT', () => {
    const received = (n: number) =>
      envelope('message.received', {
        sessionId: 'demo',
        waMessageId: `wa-${n}`,
        chatJid: '6281222222222@s.whatsapp.net',
        isGroup: false,
        senderJid: '6281222222222@s.whatsapp.net',
        senderPhone: '6281222222222',
        pushName: 'Siti',
        kind: 'text',
        text: `message ${n}`,
        quotedMessageId: null,
        mentions: [],
        mentionsMe: false,
        ownPhone: '6281111111111',
        sentAt: '2026-12-01T10:00:00.000Z',
        offline: false,
        traceId: 't',
      });
    const state = run(received(1), received(2), received(2));
    expect(state.received.demo?.map((message) => message.text)).toEqual(['message 2', 'message 1']);
    expect(state.received.demo?.[0]).toMatchObject({ from: '+6281222222222', pushName: 'Siti' });
    const many = Array.from({ length: MESSAGES_KEPT + 5 }, (_, n) => received(n)).reduce(consoleReducer, initialConsoleState);
    expect(many.received.demo).toHaveLength(MESSAGES_KEPT);
    expect(many.received.demo?.[0]?.text).toBe(`message ${MESSAGES_KEPT + 4}`);
  });

  it('forgets a removed session and everything about it, and everything on reset', () => {
    const state = run(
      { type: 'sessions.loaded', sessions: [session()] },
      qrEvent('qr-1', '2026-12-01T10:00:01.000Z'),
      deliveryEvent('out-1', 'sent', '2026-12-01T10:00:02.000Z'),
      { type: 'session.removed', sessionId: 'demo' },
    );
    expect(state.sessions).toEqual({});
    expect(state.prompts).toEqual({});
    expect(state.sent).toEqual({});
    expect(consoleReducer({ ...state, stream: 'live' }, { type: 'reset' })).toBe(initialConsoleState);
  });

  it("follows the stream's state", () => {
    expect(run({ type: 'stream', state: 'live' }).stream).toBe('live');
    expect(run({ type: 'stream', state: 'live' }, { type: 'stream', state: 'reconnecting' }).stream).toBe('reconnecting');
  });
});
