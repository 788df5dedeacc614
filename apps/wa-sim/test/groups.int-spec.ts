import type { BaileysEventMap, GroupMetadata } from '@whiskeysockets/baileys';
import { Companion, waitUntil, type WASocket } from './baileys-companion';
import { useTestSim } from './sim-test-setup';

const pn = (phoneNumber: string): string => `${phoneNumber}@s.whatsapp.net`;

/** Records every value of one Baileys event, for `waitUntil`. */
function record<K extends keyof BaileysEventMap>(socket: WASocket, event: K): BaileysEventMap[K][] {
  const values: BaileysEventMap[K][] = [];
  socket.ev.on(event, (value) => values.push(value));
  return values;
}

/** Members as `[phone JID, admin flag]`, whichever way the group addresses them. */
const members = (metadata: GroupMetadata): [string, string | null | undefined][] =>
  metadata.participants.map((participant) => [participant.phoneNumber ?? participant.id, participant.admin]);

describe('wa-sim groups (real Baileys)', () => {
  const { sim, open, linkedAccount, restart } = useTestSim();

  async function contacts(...numbers: [string, string][]): Promise<string[]> {
    for (const [phoneNumber, name] of numbers) await sim.client.createContact(phoneNumber, name);
    return numbers.map(([phoneNumber]) => phoneNumber);
  }

  /** A group the phone `creator` made with the companion's account in it, once the companion heard of it. */
  async function phoneMadeGroup(companion: Companion, creator: string, participants: string[], addressingMode?: 'lid' | 'pn'): Promise<string> {
    const upserts = record(companion.socket, 'groups.upsert');
    const group = await sim.client.createGroup({ creator, subject: 'Pelanggan setia', participants, addressingMode });
    await waitUntil(() => upserts.flat().find((metadata) => metadata.id === group.id), 5_000, 'the create notification');
    return group.id;
  }

  it('creates a group from the companion and reads it back (create, metadata, participating, subject, description)', async () => {
    const companion = await linkedAccount('6283300000001');
    const [siti, budi] = await contacts(['6289930000001', 'Siti'], ['6289930000002', 'Budi']);
    const upserts = record(companion.socket, 'groups.upsert');

    const created = await companion.socket.groupCreate('Tim Toko', [pn(siti), pn(budi)]);
    expect(created.id).toMatch(/^120363\d{12}@g\.us$/);
    expect(created).toMatchObject({ subject: 'Tim Toko', addressingMode: 'lid', ownerPn: pn('6283300000001'), size: 3 });
    expect(members(created)).toEqual([
      [pn('6283300000001'), 'superadmin'],
      [pn(siti), null],
      [pn(budi), null],
    ]);

    const metadata = await companion.socket.groupMetadata(created.id);
    expect(metadata.subject).toBe('Tim Toko');
    expect(members(metadata)).toEqual(members(created));
    const participating = await companion.socket.groupFetchAllParticipating();
    expect(Object.keys(participating)).toEqual([created.id]);
    await waitUntil(() => upserts.flat().find((group) => group.id === created.id), 5_000, 'groups.upsert for its own group');

    const view = await sim.client.group(created.id);
    expect(view.participants.map((participant) => [participant.phoneNumber, participant.role])).toEqual([
      ['6283300000001', 'superadmin'],
      [siti, 'member'],
      [budi, 'member'],
    ]);
    expect((await sim.client.listGroups(siti)).map((group) => group.id)).toEqual([created.id]);

    await companion.socket.groupUpdateSubject(created.id, 'Tim Toko Baru');
    await companion.socket.groupUpdateDescription(created.id, 'Buka 08.00-17.00');
    expect(await companion.socket.groupMetadata(created.id)).toMatchObject({ subject: 'Tim Toko Baru', desc: 'Buka 08.00-17.00' });
    expect(await sim.client.group(created.id)).toMatchObject({ subject: 'Tim Toko Baru', description: 'Buka 08.00-17.00' });
  });

  it('adds, promotes, demotes and removes members from the companion and from a phone; the views match', async () => {
    const account = '6283300000002';
    const companion = await linkedAccount(account);
    const [siti, budi, dewi] = await contacts(['6289930000003', 'Siti'], ['6289930000004', 'Budi'], ['6289930000005', 'Dewi']);
    const { id } = await companion.socket.groupCreate('Ops', [pn(siti)]);
    const updates = record(companion.socket, 'group-participants.update');

    const added = await companion.socket.groupParticipantsUpdate(id, [pn(budi), pn(dewi), pn(siti)], 'add');
    expect(added.map(({ jid, status }) => [jid, status])).toEqual([
      [pn(budi), '200'],
      [pn(dewi), '200'],
      [pn(siti), '409'],
    ]);
    expect((await companion.socket.groupParticipantsUpdate(id, [pn(budi)], 'promote'))[0]?.status).toBe('200');
    expect((await companion.socket.groupParticipantsUpdate(id, [pn(budi)], 'demote'))[0]?.status).toBe('200');
    expect((await companion.socket.groupParticipantsUpdate(id, [pn(dewi)], 'remove'))[0]?.status).toBe('200');
    expect((await companion.socket.groupParticipantsUpdate(id, [pn(dewi)], 'promote'))[0]?.status).toBe('404');

    const view = await sim.client.group(id);
    expect(view.participants.map((participant) => [participant.phoneNumber, participant.role])).toEqual([
      [account, 'superadmin'],
      [siti, 'member'],
      [budi, 'member'],
    ]);
    expect(members(await companion.socket.groupMetadata(id))).toEqual([
      [pn(account), 'superadmin'],
      [pn(siti), null],
      [pn(budi), null],
    ]);
    await waitUntil(() => updates.length >= 4 || undefined, 5_000, 'notifications of its own changes');
    expect(updates.map((update) => [update.action, update.participants.map((participant) => participant.phoneNumber)])).toEqual([
      ['add', [pn(budi), pn(dewi)]],
      ['promote', [pn(budi)]],
      ['demote', [pn(budi)]],
      ['remove', [pn(dewi)]],
    ]);

    // From the phones' side: a member is not an admin, the account's phone is.
    await expect(sim.client.updateGroupParticipants(id, siti, 'add', [dewi])).rejects.toMatchObject({ status: 403, code: 'NOT_GROUP_ADMIN' });
    const promoted = await sim.client.updateGroupParticipants(id, account, 'promote', [siti]);
    expect(promoted.results).toEqual([{ phoneNumber: siti, status: 200 }]);
    await sim.client.updateGroupParticipants(id, siti, 'add', [dewi]);
    const byPhone = await waitUntil(() => (updates.length >= 6 ? updates.slice(4) : undefined), 5_000, 'notifications of phone-side changes');
    const lidOf = (phoneNumber: string): string | undefined => view.participants.find((participant) => participant.phoneNumber === phoneNumber)?.lid;
    // Baileys names the actor by LID only: its `authorPn` is lost when it stores the notification as a message.
    expect(byPhone.map((update) => [update.action, update.author, update.participants.map((participant) => participant.phoneNumber)])).toEqual([
      ['promote', lidOf(account), [pn(siti)]],
      ['add', lidOf(siti), [pn(dewi)]],
    ]);
    expect((await companion.socket.groupMetadata(id)).participants.find((participant) => participant.phoneNumber === pn(siti))?.admin).toBe('admin');
  });

  it('reads and revokes the invite code; another companion joins with it, hears the group, and leaves', async () => {
    const companion = await linkedAccount('6283300000003');
    const [siti] = await contacts(['6289930000006', 'Siti']);
    const { id } = await companion.socket.groupCreate('Undangan', [pn(siti)]);

    const code = await companion.socket.groupInviteCode(id);
    expect(code).toBe((await sim.client.groupInvite(id)).code);
    const revoked = await companion.socket.groupRevokeInvite(id);
    expect(revoked).not.toBe(code);
    expect((await sim.client.groupInvite(id)).code).toBe(revoked);

    const guest = await linkedAccount('6283300000004');
    await expect(guest.socket.groupAcceptInvite(code!)).rejects.toThrow();
    expect(await guest.socket.groupAcceptInvite(revoked!)).toBe(id);
    expect((await guest.socket.groupMetadata(id)).participants.map((participant) => participant.phoneNumber)).toContain(pn('6283300000004'));
    expect((await sim.client.group(id)).participants.map((participant) => participant.phoneNumber)).toEqual(['6283300000003', siti, '6283300000004']);

    // Companion to companion: the member phones take the sender key, the owner's phone passes the message on.
    const welcome = await companion.socket.sendMessage(id, { text: 'Selamat datang' });
    const { message } = await guest.waitForUpsert((entry) => entry.message.key.id === welcome!.key.id);
    expect(message.key).toMatchObject({ remoteJid: id, participantAlt: pn('6283300000003') });
    expect(message.messageStubParameters).toBeUndefined();
    expect(message.message?.extendedTextMessage?.text ?? message.message?.conversation).toBe('Selamat datang');

    await guest.socket.groupLeave(id);
    expect((await sim.client.group(id)).participants.map((participant) => participant.phoneNumber)).toEqual(['6283300000003', siti]);
  });

  it('exchanges group messages both ways: SKDM then skmsg alone, mentions and quotes, member receipts', async () => {
    const account = '6283300000005';
    const companion = await linkedAccount(account);
    const [siti, budi] = await contacts(['6289930000007', 'Siti'], ['6289930000008', 'Budi']);
    const id = await phoneMadeGroup(companion, siti, [account, budi]);
    const { participants } = await sim.client.group(id);
    const lidOf = (phoneNumber: string): string => participants.find((participant) => participant.phoneNumber === phoneNumber)!.lid;

    const first = await sim.client.sendGroupMessage(id, { from: siti, text: 'Halo @toko', mentions: [account] });
    expect(first.accounts).toEqual({ [account]: { 1: 'sent' } });
    const { type, message } = await companion.waitForUpsert((entry) => entry.message.key.id === first.messageId);
    expect(type).toBe('notify');
    expect(message.key).toMatchObject({ remoteJid: id, participant: lidOf(siti), participantAlt: pn(siti), fromMe: false });
    expect(message.pushName).toBe('Siti');
    expect(message.message?.extendedTextMessage?.text).toBe('Halo @toko');
    expect(message.message?.extendedTextMessage?.contextInfo?.mentionedJid).toEqual([lidOf(account)]);

    const second = await sim.client.sendGroupMessage(id, { from: siti, text: 'Pesan kedua' });
    const secondUpsert = await companion.waitForUpsert((entry) => entry.message.key.id === second.messageId);
    expect(secondUpsert.message.message?.conversation).toBe('Pesan kedua');
    const inbound = await sim.client.inboundMessages(account);
    expect(inbound.map((entry) => [entry.text, entry.groupJid, entry.envelopes[1]])).toEqual([
      ['Halo @toko', id, 'pkmsg'],
      ['Pesan kedua', id, 'skmsg'],
    ]);

    const receipts = record(companion.socket, 'message-receipt.update');
    const reply = await companion.socket.sendMessage(id, { text: 'Siap @Siti', mentions: [lidOf(siti)] }, { quoted: message });
    const replyId = reply!.key.id!;
    const [sent] = await waitUntil(
      async () => {
        const records = (await sim.client.groupMessages(id)).filter((entry) => entry.messageId === replyId);
        return records.length ? records : undefined;
      },
      5_000,
      'the reply in the simulator',
    );
    expect(sent).toMatchObject({
      kind: 'text',
      text: 'Siap @Siti',
      mentions: [lidOf(siti)],
      quotedMessageId: first.messageId,
      groupJid: id,
      fromPhoneNumber: account,
      fromDeviceId: 1,
    });
    await waitUntil(
      () => (receipts.flat().filter((entry) => entry.key.id === replyId && entry.receipt.readTimestamp).length === 2 ? true : undefined),
      5_000,
      'read receipts from both members',
    );

    const again = await companion.socket.sendMessage(id, { text: 'Kunci yang sama' });
    await waitUntil(async () => (await sim.client.groupMessages(id)).find((entry) => entry.messageId === again!.key.id), 5_000, 'the second reply');
    expect((await sim.client.groupMessages(id)).map((entry) => entry.text)).toEqual(['Siap @Siti', 'Kunci yang sama']);

    // A group addressed by phone number names members by number, with their LID as the alternate.
    const byNumber = await phoneMadeGroup(companion, budi, [account], 'pn');
    const numbered = await sim.client.sendGroupMessage(byNumber, { from: budi, text: 'Halo @toko', mentions: [account] });
    const numberedUpsert = await companion.waitForUpsert((entry) => entry.message.key.id === numbered.messageId);
    expect(numberedUpsert.message.key).toMatchObject({ remoteJid: byNumber, participant: pn(budi), participantAlt: lidOf(budi) });
    expect(numberedUpsert.message.message?.extendedTextMessage?.contextInfo?.mentionedJid).toEqual([pn(account)]);
    const answer = await companion.socket.sendMessage(byNumber, { text: 'Oke' });
    await waitUntil(async () => (await sim.client.groupMessages(byNumber)).find((entry) => entry.messageId === answer!.key.id), 5_000, 'the answer');
  });

  it('queues a member group message for an offline companion and delivers it on reconnect', async () => {
    const account = '6283300000006';
    const first = await linkedAccount(account);
    const [siti] = await contacts(['6289930000009', 'Siti']);
    const id = await phoneMadeGroup(first, siti, [account]);
    await first.end();

    const queued = await sim.client.sendGroupMessage(id, { from: siti, text: 'Selagi offline' });
    expect(queued.accounts).toEqual({ [account]: { 1: 'queued' } });
    const again = Companion.connect(sim, first.auth);
    open.push(again);
    const { type, message } = await again.waitForUpsert((entry) => entry.message.key.id === queued.messageId);
    expect(type).toBe('append');
    expect(message.key.remoteJid).toBe(id);
    expect(message.key.participantAlt).toBe(pn(siti));
    expect(message.message?.conversation).toBe('Selagi offline');
  });

  it('still knows the group and both sides of its sender keys after a restart', async () => {
    const account = '6283300000007';
    const first = await linkedAccount(account);
    const [siti] = await contacts(['6289930000010', 'Siti']);
    const { id } = await first.socket.groupCreate('Tahan lama', [pn(siti)]);
    const before = await sim.client.sendGroupMessage(id, { from: siti, text: 'Sebelum' });
    await first.waitForUpsert((entry) => entry.message.key.id === before.messageId);
    await first.socket.sendMessage(id, { text: 'Kunciku' });
    await waitUntil(async () => ((await sim.client.groupMessages(id)).length ? true : undefined), 5_000, 'the first companion message');
    await first.end();

    await restart();
    expect((await sim.client.group(id)).subject).toBe('Tahan lama');

    const again = Companion.connect(sim, first.auth);
    open.push(again);
    await again.waitForOpen();
    expect((await again.socket.groupMetadata(id)).participants).toHaveLength(2);
    const after = await sim.client.sendGroupMessage(id, { from: siti, text: 'Sesudah' });
    const upsert = await again.waitForUpsert((entry) => entry.message.key.id === after.messageId);
    expect(upsert.message.message?.conversation).toBe('Sesudah');
    expect((await sim.client.inboundMessages(account)).find((entry) => entry.messageId === after.messageId)?.envelopes[1]).toBe('skmsg');

    const sent = await again.socket.sendMessage(id, { text: 'Masih kunci lama' });
    const decrypted = await waitUntil(
      async () => (await sim.client.groupMessages(id)).find((entry) => entry.messageId === sent!.key.id),
      5_000,
      'decrypted with the persisted key',
    );
    expect(decrypted.text).toBe('Masih kunci lama');
  });
});
