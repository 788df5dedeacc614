import { DbFixtures } from '../support/db-fixtures';
import { eventually, SuiteHarness } from '../support/suite-harness';

interface Message {
  waMessageId: string;
  text: string | null;
  fromMe: boolean;
  origin: string;
  senderJid: string | null;
  direction: string;
}

/**
 * Seed 002's chat history from the session (issue 14) through the gateway, a worker and the
 * agent-runner to the simulator: the phone had chats before the session linked; WhatsApp's history
 * sync brings the recent part, on-demand fetches the older part, and messages typed on the phone
 * join the history (the stored one only while the number is allowed).
 */
describe('chat history of a session: store, server, auto and the stored history', () => {
  const suite = new SuiteHarness({ workers: 1, agentRunner: true });
  const fixtures = new DbFixtures();
  const session = 'historian';
  let account: string;
  let contact: string;
  let member: string;
  let groupJid: string;

  const chatUrl = (chat: string, query: string) => `/sessions/${session}/chats/${encodeURIComponent(chat)}/messages?${query}`;
  const page = async (chat: string, query: string) => {
    const response = await suite.api.get(chatUrl(chat, query));
    expect(response.status).toBe(200);
    return response.body as { source: string; messages: Message[]; nextCursor: string | null; initialSyncComplete?: boolean; fetchedOnDemand?: number };
  };
  const texts = (messages: Message[]) => messages.map((message) => message.text);
  const past = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => `lama ${to - index}`);

  beforeAll(async () => {
    await suite.start();
    account = suite.newPhone();
    contact = await suite.newContact('Siti');
    member = await suite.newContact('Budi');
    await suite.sim.client.createAccount(account, 'Toko');
    // The phone's chats before the session links: 30 messages with Siti, 3 in a group.
    await suite.sim.client.seedHistory(
      account,
      contact,
      Array.from({ length: 30 }, (_, index) => ({ text: `lama ${index}`, fromMe: index % 2 === 1 })),
    );
    groupJid = (await suite.sim.client.createGroup({ creator: member, subject: 'Arisan', participants: [account] })).id;
    await suite.sim.client.seedHistory(account, groupJid, [
      { text: 'grup 0', from: member },
      { text: 'grup 1', fromMe: true },
      { text: 'grup 2', from: member },
    ]);
    await suite.linkSession(session, (await fixtures.user()).id, account);
  }, 120_000);

  afterAll(async () => {
    await suite.stop();
    await fixtures.close();
  });

  it('store: what the history sync brought, newest first, without asking WhatsApp', async () => {
    const held = await page(contact, 'source=store&waitSeconds=15&limit=50');
    expect(held).toMatchObject({ source: 'store', initialSyncComplete: true, fetchedOnDemand: 0, nextCursor: null });
    // The simulator's phone syncs the newest 20 messages per chat (WA_SIM_HISTORY_SYNC_MESSAGES).
    expect(texts(held.messages)).toEqual(past(10, 29));
    expect(held.messages.every((message) => message.origin === 'history-sync')).toBe(true);
    expect(held.messages.filter((message) => message.fromMe).map((message) => message.text)).toEqual(past(10, 29).filter((_, index) => index % 2 === 0));
    expect(held.messages[0]).toMatchObject({ fromMe: true, direction: 'outbound', senderJid: `${account}@s.whatsapp.net` });
    expect(held.messages[1]).toMatchObject({ fromMe: false, direction: 'inbound', senderJid: `${contact}@s.whatsapp.net` });
  });

  it('server: fetches the older messages on demand when the held ones do not fill the page, and pages on', async () => {
    const first = await page(contact, 'source=server&waitSeconds=15&limit=25');
    expect(first).toMatchObject({ source: 'server', fetchedOnDemand: 5 });
    expect(texts(first.messages)).toEqual(past(5, 29));
    expect(first.messages.slice(-5).every((message) => message.origin === 'on-demand')).toBe(true);
    expect(first.nextCursor).toBe(first.messages[24].waMessageId);

    const rest = await page(contact, `source=server&waitSeconds=15&limit=10&before=${first.nextCursor}`);
    expect(texts(rest.messages)).toEqual(past(0, 4));
    expect(rest).toMatchObject({ fetchedOnDemand: 5, nextCursor: null });

    // Everything is held now: auto answers as server without asking again.
    const auto = await page(contact, 'source=auto&limit=30');
    expect(auto).toMatchObject({ source: 'server', fetchedOnDemand: 0 });
    expect(texts(auto.messages)).toEqual(past(0, 29));
    const unknown = await suite.api.get(chatUrl(contact, 'source=store&before=3EB0NOTHELD'));
    expect(unknown.status).toBe(404);
  });

  it("a group's history, with its members and the account's own messages", async () => {
    const group = await page(groupJid, 'source=auto&limit=10');
    expect(texts(group.messages)).toEqual(['grup 2', 'grup 1', 'grup 0']);
    expect(group.messages.map((message) => [message.fromMe, message.senderJid])).toEqual([
      [false, `${member}@s.whatsapp.net`],
      [true, `${account}@s.whatsapp.net`],
      [false, `${member}@s.whatsapp.net`],
    ]);
  });

  it('messages typed on the phone join the live history, and the stored one only while the number is allowed', async () => {
    await suite.sim.client.sendFromPhone(account, contact, 'diketik sebelum diizinkan');
    await eventually(
      async () => ((await page(contact, 'source=store&limit=1')).messages[0]?.text === 'diketik sebelum diizinkan' ? true : undefined),
      10_000,
      'the typed message held',
    );
    // WhatsApp's timestamps are whole seconds: the number is allowed a clear second later.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await suite.api.post('/allowed-numbers', { whatsappNumber: account })).status).toBe(201);

    await suite.sim.client.sendFromPhone(account, contact, 'diketik di HP');
    await suite.sim.client.sendInbound({ from: contact, to: account, text: 'dibalas dari kontak' });
    await suite.sim.client.sendGroupMessage(groupJid, { from: account, text: 'dari HP ke grup' });
    const live = await eventually(
      async () => {
        const held = await page(contact, 'source=store&limit=3');
        return held.messages[0]?.text === 'dibalas dari kontak' ? held : undefined;
      },
      10_000,
      'the live messages held',
    );
    expect(live.messages.map((message) => [message.text, message.fromMe, message.origin])).toEqual([
      ['dibalas dari kontak', false, 'live'],
      ['diketik di HP', true, 'live'],
      ['diketik sebelum diizinkan', true, 'live'],
    ]);
    const groupLive = await eventually(
      async () => {
        const held = await page(groupJid, 'source=store&limit=1');
        return held.messages[0]?.text === 'dari HP ke grup' ? held : undefined;
      },
      10_000,
      'the group message typed on the phone held',
    );
    expect(groupLive.messages[0]).toMatchObject({ text: 'dari HP ke grup', fromMe: true, origin: 'live', senderJid: `${account}@s.whatsapp.net` });

    const stored = await eventually(
      async () => {
        const rows = await page(contact, 'source=database&limit=10');
        return texts(rows.messages).includes('diketik di HP') && texts(rows.messages).includes('dibalas dari kontak') ? rows : undefined;
      },
      15_000,
      'the stored history',
    );
    expect(stored.messages.find((message) => message.text === 'diketik di HP')).toMatchObject({ fromMe: true, direction: 'outbound', origin: 'stored' });
    expect(texts(stored.messages)).not.toContain('diketik sebelum diizinkan');
    expect(texts(stored.messages).filter((text) => text?.startsWith('lama'))).toEqual([]);
    const storedGroup = await eventually(
      async () => {
        const rows = await page(groupJid, 'source=database');
        return rows.messages.length > 0 ? rows : undefined;
      },
      15_000,
      'the stored group message',
    );
    expect(texts(storedGroup.messages)).toEqual(['dari HP ke grup']);
  });
});
