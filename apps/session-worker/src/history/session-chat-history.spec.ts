import { type AppError, type ChatMessage } from '@app/contracts';
import type { HistoryBatch, SeenMessage } from '../whatsapp/whatsapp-connection';
import type { PhoneMessagePublisher } from './phone-message.publisher';
import { SessionChatHistory } from './session-chat-history';
import { SessionChatStore } from './session-chat-store';

const CHAT = '6281234567890@s.whatsapp.net';
const T0 = Date.parse('2026-11-21T08:00:00Z');

const seen = (id: string, secondsAfter: number, overrides: Partial<SeenMessage> = {}): SeenMessage => ({
  waMessageId: id,
  chatJid: CHAT,
  senderJid: CHAT,
  fromMe: false,
  kind: 'text',
  text: id,
  caption: null,
  mimeType: null,
  fileName: null,
  quotedMessageId: null,
  mentions: [],
  pushName: null,
  sentAt: new Date(T0 + secondsAfter * 1000).toISOString(),
  origin: 'live',
  sentHere: false,
  ...overrides,
});
const ids = (messages: ChatMessage[] | null) => messages?.map((message) => message.waMessageId);
const batch = (messages: SeenMessage[], overrides: Partial<HistoryBatch> = {}): HistoryBatch => ({
  origin: 'live',
  messages,
  ownPhone: '6289999999999',
  syncComplete: false,
  requestId: null,
  ...overrides,
});

describe('SessionChatStore', () => {
  it('pages a chat newest first by time, the later-seen first within one second, and once per id', () => {
    const store = new SessionChatStore({ messagesPerChat: 10, chats: 10 });
    expect(store.add([seen('b', 2), seen('a', 1), seen('c', 2), seen('b', 2)])).toBe(3);
    expect(ids(store.page(CHAT, undefined, 10))).toEqual(['c', 'b', 'a']);
    expect(ids(store.page(CHAT, 'c', 1))).toEqual(['b']);
    expect(store.page(CHAT, 'unknown', 10)).toBeNull();
    expect(store.oldest(CHAT)?.waMessageId).toBe('a');
    expect(store.page(CHAT, undefined, 10)![0]).not.toHaveProperty('sentHere');
  });

  it('keeps the newest messages of each chat and the most recently active chats', () => {
    const store = new SessionChatStore({ messagesPerChat: 2, chats: 2 });
    store.add([seen('a', 1), seen('b', 2), seen('c', 3)]);
    expect(ids(store.page(CHAT, undefined, 10))).toEqual(['c', 'b']);
    store.add([seen('g1', 4, { chatJid: 'g1@g.us' }), seen('g2', 5, { chatJid: 'g2@g.us' })]);
    expect(store.page(CHAT, undefined, 10)).toEqual([]);
    expect(ids(store.page('g1@g.us', undefined, 10))).toEqual(['g1']);
  });
});

describe('SessionChatHistory without a connection', () => {
  const sentFromPhone: Array<[string, string, string]> = [];
  const phoneMessages = {
    publish: (sessionId: string, ownPhone: string, message: ChatMessage) => void sentFromPhone.push([sessionId, message.waMessageId, ownPhone]),
  };
  const history = () => new SessionChatHistory('session-1', { messagesPerChat: 100, chats: 100 }, phoneMessages as PhoneMessagePublisher);

  beforeEach(() => {
    sentFromPhone.length = 0;
  });

  it('hands on what the account wrote on another device, not what this connection sent, nor synced history', () => {
    const chats = history();
    chats.record(batch([seen('typed', 1, { fromMe: true }), seen('sent-here', 2, { fromMe: true, sentHere: true }), seen('theirs', 3)]));
    chats.record(batch([seen('old-own', 0, { fromMe: true, origin: 'history-sync' })], { origin: 'history-sync' }));
    expect(sentFromPhone).toEqual([['session-1', 'typed', '6289999999999']]);
  });

  it('answers store and auto from what is held at once when not connected (no sync is coming)', async () => {
    const chats = history();
    chats.record(batch([seen('a', 1)]));
    chats.record(batch([seen('b', 2, { origin: 'history-sync' })], { origin: 'history-sync', syncComplete: true }));
    const started = Date.now();
    for (const source of ['store', 'auto'] as const) {
      expect(await chats.page({ chatJid: CHAT, limit: 1, source, waitMs: 10_000 }, null)).toMatchObject({
        source: 'store',
        initialSyncComplete: true,
        fetchedOnDemand: 0,
        nextCursor: 'b',
        messages: [{ waMessageId: 'b', origin: 'history-sync' }],
      });
    }
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('refuses server without a connection, and an unknown cursor', async () => {
    const chats = history();
    await expect(chats.page({ chatJid: CHAT, limit: 10, source: 'server', waitMs: 0 }, null)).rejects.toMatchObject({ code: 'SESSION_NOT_READY' });
    const unknown = await chats.page({ chatJid: CHAT, limit: 10, source: 'store', before: 'nope', waitMs: 0 }, null).catch((error: AppError) => error);
    expect(unknown).toMatchObject({ code: 'NOT_FOUND' });
  });
});
