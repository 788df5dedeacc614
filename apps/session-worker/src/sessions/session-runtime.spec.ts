import type { PinoLogger } from 'nestjs-pino';
import type { Counter, Histogram } from 'prom-client';
import type { SessionWorkerConfig } from '@app/config';
import type { SessionStatus } from '@app/contracts';
import type { SessionRepository, StatusChange } from '@app/db';
import type { LiveEventPublisher } from '@app/redis';
import type { SessionAuthStore } from '../auth-state/session-auth-store';
import type { PhoneMessagePublisher } from '../history/phone-message.publisher';
import { SessionChatHistory } from '../history/session-chat-history';
import type { InboundPublisher } from '../inbound/inbound.publisher';
import type { OutboxDrainer } from '../outbox/outbox-drainer';
import type { BaileysAdapter } from '../whatsapp/baileys.adapter';
import type { ConnectionListener, WhatsAppConnection } from '../whatsapp/whatsapp-connection';
import type { HeldSession } from './held-session';
import { QrPairing } from './qr-pairing';
import { SerialQueue } from './serial-queue';
import { SessionConnection } from './session-connection';
import { SessionLink } from './session-link';
import { SessionRuntime } from './session-runtime';
import { SessionStatusMachine } from './session-status.machine';
import type { RecordOutcome, SessionStatusRecorder } from './session-status.recorder';

const SESSION: HeldSession = { sessionId: 'unit-1', epoch: 3, lease: { sessionId: 'unit-1', workerId: 'w1', token: 't' } };
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

/** A socket the test drives: it tells the session what WhatsApp would. */
class FakeSocket implements WhatsAppConnection {
  linked: boolean;
  closed = false;
  /** A socket whose close is still on its way (the close handshake), until `finishClosing`. */
  closesLater = false;
  loggedOut = false;
  readonly groups = {} as WhatsAppConnection['groups'];

  constructor(
    readonly listener: ConnectionListener,
    linked: boolean,
  ) {
    this.linked = linked;
  }

  async requestPairingCode(): Promise<string> {
    return 'ABCD-1234';
  }
  async send(): Promise<void> {}
  async sendPresence(): Promise<void> {}
  async fetchHistory(): Promise<string> {
    return 'history-request-1';
  }
  async logout(): Promise<void> {
    this.loggedOut = true;
  }
  close(): void {
    this.closed = !this.closesLater;
  }
  finishClosing(): void {
    this.closed = true;
  }
}

function setUp(options: { linked?: boolean; stale?: boolean; phoneTakenBy?: string } = {}) {
  const transitions: Array<{ status: SessionStatus; reason: string | null }> = [];
  const sockets: FakeSocket[] = [];
  const lost: string[] = [];
  const ended: string[] = [];
  let cleared = 0;
  let kicks = 0;
  const abandoned: string[] = [];
  /** What went to the live-event stream (GET /events): QR values and pairing codes. */
  const published: string[] = [];
  let stale = options.stale ?? false;
  const recorder = {
    record: async (_id: string, _epoch: number, change: StatusChange, reason: string | null): Promise<RecordOutcome> => {
      if (stale) return 'stale';
      // Like the real recorder: a status the session already has is stored but not an event.
      if (transitions.at(-1)?.status === change.status) return 'unchanged';
      transitions.push({ status: change.status, reason });
      return 'recorded';
    },
  } as unknown as SessionStatusRecorder;
  const adapter = {
    open: async (_id: string, _store: unknown, listener: ConnectionListener) => {
      const socket = new FakeSocket(listener, options.linked ?? true);
      sockets.push(socket);
      return socket;
    },
  } as unknown as BaileysAdapter;
  const logger = { info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as PinoLogger;
  const link = new SessionLink(SESSION.sessionId);
  const holder = { leaseLost: (id: string) => void lost.push(id), ended: (_id: string, reason: string) => void ended.push(reason) };
  const parts = {
    session: SESSION,
    link,
    holder,
    status: new SessionStatusMachine(SESSION, recorder, logger),
    qr: new QrPairing(SESSION.sessionId),
    queue: new SerialQueue(),
    outbox: {
      kick: async () => void (kicks += 1),
      stop: () => undefined,
      receipt: () => undefined,
      abandon: async (reason: string) => void abandoned.push(reason),
      quiet: true,
    } as unknown as OutboxDrainer,
    store: { clear: async () => void (cleared += 1), settled: true } as unknown as SessionAuthStore,
    history: new SessionChatHistory(SESSION.sessionId, { messagesPerChat: 10, chats: 10 }, { publish: () => undefined } as unknown as PhoneMessagePublisher),
    live: {
      qr: async (_id: string, qr: string) => void published.push(`qr ${qr}`),
      pairingCode: async (_id: string, phone: string, code: string) => void published.push(`code ${code} for ${phone}`),
    } as unknown as LiveEventPublisher,
  };
  const services = {
    adapter,
    sessions: { claimPhone: async () => ({ conflictWith: options.phoneTakenBy ?? null }) } as unknown as SessionRepository,
    inbound: {} as InboundPublisher,
    config: { RECONNECT_BASE_MS: 10, RECONNECT_MAX_MS: 20, RECONNECT_MAX_ATTEMPTS: 2 } as SessionWorkerConfig,
    reconnects: { inc: () => undefined } as unknown as Counter<string>,
    restoreDuration: { observe: () => undefined } as unknown as Histogram<string>,
    workerId: 'w1',
    logger,
  };
  const connection = new SessionConnection(parts, services);
  const runtime = new SessionRuntime(parts, connection, 'w1');
  return {
    runtime,
    link,
    transitions,
    sockets,
    lost,
    ended,
    statuses: () => transitions.map((transition) => transition.status),
    cleared: () => cleared,
    abandoned,
    published,
    kicks: () => kicks,
    goStale: () => (stale = true),
  };
}

/** Starts the session and lets WhatsApp report it open. */
async function connected(setup: ReturnType<typeof setUp>) {
  await setup.runtime.start();
  setup.sockets[0].listener.onOpen({ jid: '6281111111111@s.whatsapp.net', phone: '6281111111111', name: null });
  await settle();
  return setup;
}

describe('SessionRuntime', () => {
  it('connects, shows each QR as it rotates, and turns connected (kicking the outbox) when the phone scans', async () => {
    const setup = setUp({ linked: false });
    const firstQr = setup.runtime.awaitQr(1_000);
    await settle();
    setup.sockets[0].listener.onQr('qr-1');
    expect((await firstQr).qr).toBe('qr-1');
    setup.sockets[0].listener.onQr('qr-2');
    await settle();
    expect(setup.runtime.state()).toMatchObject({ status: 'awaiting_qr', qr: 'qr-2', connected: false });

    setup.sockets[0].listener.onOpen({ jid: '6281111111111@s.whatsapp.net', phone: '6281111111111', name: null });
    await settle();
    expect(setup.statuses()).toEqual(['connecting', 'awaiting_qr', 'connected']);
    expect(setup.runtime.state()).toMatchObject({ status: 'connected', connected: true, qr: null, phone: '6281111111111' });
    expect(setup.kicks()).toBe(1);
    expect(setup.published).toEqual(['qr qr-1', 'qr qr-2']);
  });

  it('refuses sends while not connected: retry soon while it reconnects, 409 once it needs someone to act', async () => {
    const setup = await connected(setUp());
    setup.sockets[0].listener.onClose('connection_lost', '428: lost');
    await settle();
    const draft = { waMessageId: 'X', toJid: 'x@s.whatsapp.net', content: { kind: 'text' as const, text: 'hi' }, traceId: 't' };
    expect(() => setup.runtime.send(draft, 0)).toThrow(
      expect.objectContaining({ code: 'SESSION_NOT_READY', details: { status: 'disconnected', retryAfterSeconds: 2 } }),
    );

    const waiting = setUp({ linked: false });
    await waiting.runtime.start();
    waiting.sockets[0].listener.onQr('qr');
    await settle();
    expect(() => waiting.runtime.send(draft, 0)).toThrow(expect.objectContaining({ code: 'SESSION_NOT_CONNECTED', details: { status: 'awaiting_qr' } }));
  });

  it('reconnects with backoff after a dropped connection, and gives up for good after the last attempt', async () => {
    const setup = await connected(setUp());
    setup.sockets[0].listener.onClose('connection_lost', '428: lost');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(setup.sockets).toHaveLength(2);
    setup.sockets[1].listener.onClose('connection_lost', '428: lost again');
    await new Promise((resolve) => setTimeout(resolve, 50));
    setup.sockets[2].listener.onClose('connection_lost', '428: and again');
    await settle();
    expect(setup.statuses().slice(-1)).toEqual(['error']);
    expect(setup.transitions.at(-1)?.reason).toContain('gave up after 2 reconnect attempts');
    expect(setup.ended).toHaveLength(1);
  });

  it('unlinked from the phone: forgets the credentials, ends logged out, never reconnects', async () => {
    const setup = await connected(setUp());
    setup.sockets[0].listener.onClose('logged_out', '401: logged out');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(setup.statuses().slice(-1)).toEqual(['logged_out']);
    expect(setup.cleared()).toBe(1);
    expect(setup.sockets).toHaveLength(1);
    expect(setup.ended).toEqual(['logged out from the phone']);
    // What waited in its outbox will never go out: reported failed rather than left waiting.
    expect(setup.abandoned).toEqual(['session logged_out: logged out from the phone']);
  });

  it('refuses a phone another session holds: unlinks this device and ends in error', async () => {
    const setup = setUp({ phoneTakenBy: 'other-session' });
    await connected(setup);
    expect(setup.sockets[0].loggedOut).toBe(true);
    expect(setup.cleared()).toBe(1);
    expect(setup.statuses().slice(-1)).toEqual(['error']);
    expect(setup.runtime.connected).toBe(false);
  });

  it('lets the session go when a transition finds its ownership epoch stale', async () => {
    const setup = await connected(setUp());
    setup.goStale();
    setup.sockets[0].listener.onClose('connection_lost', '428: lost');
    await settle();
    expect(setup.lost).toEqual([SESSION.sessionId]);
  });

  it('logout unlinks the device, clears the credentials and ends logged out', async () => {
    const setup = await connected(setUp());
    const state = await setup.runtime.logout('trace');
    expect(setup.sockets[0].loggedOut).toBe(true);
    expect(setup.cleared()).toBe(1);
    expect(state).toMatchObject({ status: 'logged_out', connected: false });
    expect(setup.ended).toEqual(['logged out by request']);
    expect(setup.abandoned).toEqual(['session logged_out: logged out by request']);
  });

  it('stop closes the socket and keeps the link (hand-over)', async () => {
    const setup = await connected(setUp());
    setup.runtime.stop();
    expect(setup.sockets[0].closed).toBe(true);
    expect(setup.sockets[0].loggedOut).toBe(false);
    expect(setup.cleared()).toBe(0);
    expect(setup.runtime.connected).toBe(false);
    expect(setup.abandoned).toEqual([]);
  });

  it('is not quiet after stop until its socket has closed, so a hand-over never leaves two sockets', async () => {
    const setup = await connected(setUp());
    setup.sockets[0].closesLater = true;
    setup.runtime.stop();
    expect(setup.runtime.quiet).toBe(false);
    setup.sockets[0].finishClosing();
    expect(setup.runtime.quiet).toBe(true);
  });

  it('asks for a pairing code once the socket is up and shows pairing', async () => {
    const setup = setUp({ linked: false });
    const code = setup.runtime.pairingCode('6281111111111');
    await settle();
    setup.sockets[0].listener.onQr('qr-1');
    expect(await code).toEqual({ code: 'ABCD-1234' });
    expect(setup.runtime.state().status).toBe('pairing');
    expect(setup.published).toEqual(['qr qr-1', 'code ABCD-1234 for 6281111111111']);
  });
});
