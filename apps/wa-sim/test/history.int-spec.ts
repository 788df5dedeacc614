import { proto, type BaileysEventMap, type WAMessage } from '@whiskeysockets/baileys';
import { Companion, waitUntil, type WASocket } from './baileys-companion';
import { useTestSim } from './sim-test-setup';

const pn = (phoneNumber: string): string => `${phoneNumber}@s.whatsapp.net`;
const { INITIAL_BOOTSTRAP, ON_DEMAND } = proto.HistorySync.HistorySyncType;
type HistorySet = BaileysEventMap['messaging-history.set'];

/** Every history set Baileys emits on this socket, from its first event on. */
function historySets(socket: WASocket): HistorySet[] {
  const sets: HistorySet[] = [];
  socket.ev.on('messaging-history.set', (set) => sets.push(set));
  return sets;
}

const textOf = (message: WAMessage): string | null | undefined => message.message?.conversation ?? message.message?.extendedTextMessage?.text;

describe('wa-sim chat history (real Baileys)', () => {
  const { sim, open, linkedAccount } = useTestSim();

  it("gives a new companion the phone's recent chats in its history sync and older messages on demand", async () => {
    const [account, contact, member] = ['6284400000001', '6289940000001', '6289940000002'];
    await sim.client.createAccount(account, 'Toko');
    await sim.client.createContact(contact, 'Siti');
    await sim.client.createContact(member, 'Budi');
    const past = Array.from({ length: 24 }, (_, index) => ({ text: `lama ${index}`, fromMe: index % 3 === 0 }));
    const seeded = await sim.client.seedHistory(account, contact, past);
    const group = await sim.client.createGroup({ creator: member, subject: 'Arisan', participants: [account] });
    const groupJid = group.id;
    await sim.client.seedHistory(account, groupJid, [
      { text: 'selamat pagi', from: member },
      { text: 'pagi juga', fromMe: true },
    ]);

    // Linked by QR; the history sync comes once the companion logs in after the 515 restart.
    const registering = Companion.connect(sim);
    await sim.client.scanQr(account, await registering.waitForQr());
    expect(await registering.waitForClose()).toBe(515);
    const companion = Companion.connect(sim, registering.auth);
    open.push(companion);
    const sets = historySets(companion.socket);
    await companion.waitForOpen();

    const initial = await waitUntil(
      () => sets.find((set) => set.syncType === INITIAL_BOOTSTRAP && set.messages.length > 0),
      10_000,
      'the initial history sync',
    );
    const ofContact = initial.messages.filter((message) => message.key.remoteJid === pn(contact));
    // The newest 20 (WA_SIM_HISTORY_SYNC_MESSAGES), each with the id, direction and time the phone has.
    expect(ofContact.map(textOf).sort()).toEqual(
      past
        .slice(4)
        .map((message) => message.text)
        .sort(),
    );
    const newest = ofContact.find((message) => textOf(message) === 'lama 23')!;
    expect(newest.key).toMatchObject({ id: seeded.messageIds[23], fromMe: false });
    expect(ofContact.find((message) => textOf(message) === 'lama 21')!.key.fromMe).toBe(true);
    const ofGroup = initial.messages.filter((message) => message.key.remoteJid === groupJid);
    expect(ofGroup.map((message) => [textOf(message), message.key.fromMe, message.key.participant ?? null])).toEqual(
      expect.arrayContaining([
        ['selamat pagi', false, pn(member)],
        ['pagi juga', true, null],
      ]),
    );

    const oldest = ofContact.reduce((a, b) => (Number(a.messageTimestamp) <= Number(b.messageTimestamp) ? a : b));
    expect(textOf(oldest)).toBe('lama 4');
    const requestId = await companion.socket.fetchMessageHistory(10, oldest.key, Number(oldest.messageTimestamp) * 1000);
    const answer = await waitUntil(() => sets.find((set) => set.syncType === ON_DEMAND), 10_000, 'the on-demand answer');
    expect(answer.peerDataRequestSessionId).toBe(requestId);
    expect(answer.messages.map(textOf)).toEqual(['lama 3', 'lama 2', 'lama 1', 'lama 0']);
    // The request was protocol traffic between the companion and its phone, not a message it sent.
    expect(await sim.client.sentMessages({ account })).toEqual([]);
  });

  it("delivers what the phone's owner types on the handset to its companions as their own messages, in a chat and in a group", async () => {
    const [account, contact] = ['6284400000002', '6289940000003'];
    const companion = await linkedAccount(account);
    await sim.client.createContact(contact, 'Ani');

    const typed = await sim.client.sendFromPhone(account, contact, 'Sudah saya kirim ya');
    expect(typed.devices).toEqual({ 1: 'sent' });
    const direct = await companion.waitForUpsert((entry) => entry.message.key.id === typed.messageId);
    expect(direct.message.key).toMatchObject({ remoteJid: pn(contact), fromMe: true });
    expect(textOf(direct.message)).toBe('Sudah saya kirim ya');

    const groupUpserts: BaileysEventMap['groups.upsert'][] = [];
    companion.socket.ev.on('groups.upsert', (metadata) => groupUpserts.push(metadata));
    const group = await sim.client.createGroup({ creator: contact, subject: 'Keluarga', participants: [account] });
    await waitUntil(() => groupUpserts.flat().find((metadata) => metadata.id === group.id), 5_000, 'the group');
    const inGroup = await sim.client.sendGroupMessage(group.id, { from: account, text: 'Halo keluarga' });
    expect(inGroup.accounts[account]).toEqual({ 1: 'sent' });
    const groupUpsert = await companion.waitForUpsert((entry) => entry.message.key.id === inGroup.messageId);
    expect(groupUpsert.message.key).toMatchObject({ remoteJid: group.id, fromMe: true });
    expect(textOf(groupUpsert.message)).toBe('Halo keluarga');

    const kept = await sim.client.phoneHistory(account);
    expect(kept.map((entry) => [entry.chat, entry.fromMe, entry.text])).toEqual(
      expect.arrayContaining([
        [pn(contact), true, 'Sudah saya kirim ya'],
        [group.id, true, 'Halo keluarga'],
      ]),
    );
  });
});
