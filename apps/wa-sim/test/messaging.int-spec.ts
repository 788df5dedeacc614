import { proto } from '@whiskeysockets/baileys';
import { Companion, waitUntil } from './baileys-companion';
import { useTestSim } from './sim-test-setup';

const { DELIVERY_ACK, READ } = proto.WebMessageInfo.Status;

describe('wa-sim messaging (real Baileys)', () => {
  const { sim, open, linkedAccount } = useTestSim();

  it('delivers inbound texts as pkmsg until the companion answers, then as msg; all reach messages.upsert', async () => {
    const companion = await linkedAccount('6282200000001');
    await sim.client.createContact('6289900000001', 'Siti');

    const first = await sim.client.sendInbound({ from: '6289900000001', to: '6282200000001', text: 'Halo pertama' });
    const { type, message } = await companion.waitForUpsert((entry) => entry.message.key.id === first.messageId);
    expect(type).toBe('notify');
    expect(message.message?.conversation).toBe('Halo pertama');
    expect(message.key.remoteJid).toBe('6289900000001@s.whatsapp.net');
    expect(message.pushName).toBe('Siti');

    await companion.socket.sendMessage('6289900000001@s.whatsapp.net', { text: 'Halo juga' });
    await waitUntil(async () => (await sim.client.sentMessages({ to: '6289900000001' })).length > 0, 5_000, 'the reply');
    const second = await sim.client.sendInbound({ from: '6289900000001', to: '6282200000001', text: 'Halo kedua' });
    const secondUpsert = await companion.waitForUpsert((entry) => entry.message.key.id === second.messageId);
    expect(secondUpsert.message.message?.conversation).toBe('Halo kedua');

    const inbound = await sim.client.inboundMessages('6282200000001');
    expect(inbound.map((record) => [record.text, record.envelopes[1]])).toEqual([
      ['Halo pertama', 'pkmsg'],
      ['Halo kedua', 'msg'],
    ]);
    await waitUntil(
      async () => (await sim.client.inboundMessages('6282200000001')).every((record) => record.devices[1] === 'delivered'),
      5_000,
      'delivery receipts from the companion',
    );
  });

  it('decrypts what a companion sends (text, quoted id, mentions) and returns delivery then read receipts', async () => {
    const companion = await linkedAccount('6282200000002');
    await sim.client.createContact('6289900000002');
    const inbound = await sim.client.sendInbound({ from: '6289900000002', to: '6282200000002', text: 'Ada promo?' });
    const { message: quoted } = await companion.waitForUpsert((entry) => entry.message.key.id === inbound.messageId);

    const sent = await companion.socket.sendMessage(
      '6289900000002@s.whatsapp.net',
      { text: 'Ada, @6289900000002', mentions: ['6289900000002@s.whatsapp.net'] },
      { quoted },
    );
    const messageId = sent!.key.id!;

    const [record] = await waitUntil(
      async () => {
        const records = await sim.client.sentMessages({ account: '6282200000002', messageId });
        return records.length ? records : undefined;
      },
      5_000,
      'the sent message in the simulator',
    );
    expect(record).toMatchObject({
      kind: 'text',
      text: 'Ada, @6289900000002',
      quotedMessageId: inbound.messageId,
      mentions: ['6289900000002@s.whatsapp.net'],
      fromDeviceId: 1,
      toPhoneNumber: '6289900000002',
    });
    await companion.waitForStatus(messageId, DELIVERY_ACK);
    await companion.waitForStatus(messageId, READ);
  });

  it('keeps one message per id: a resend with the same id only counts as another transmission', async () => {
    const companion = await linkedAccount('6282200000009');
    await sim.client.createContact('6289900000009');
    const jid = '6289900000009@s.whatsapp.net';
    const first = await companion.socket.sendMessage(jid, { text: 'Sekali saja' });
    const messageId = first!.key.id!;
    await sim.client.waitForSent({ account: '6282200000009', messageId }, 1, 5_000);
    await companion.socket.sendMessage(jid, { text: 'Sekali saja' }, { messageId });
    await companion.socket.sendMessage(jid, { text: 'Berikutnya' });
    await sim.client.waitForSent({ account: '6282200000009' }, 2, 5_000);

    const records = await sim.client.sentMessages({ account: '6282200000009' });
    expect(records.map(({ text, transmissions }) => [text, transmissions])).toEqual([
      ['Sekali saja', 2],
      ['Berikutnya', 1],
    ]);
  });

  it('emits receipts on demand when the contact sends none by itself', async () => {
    const companion = await linkedAccount('6282200000003');
    await sim.client.createContact('6289900000003');
    await sim.client.setReceiptMode('6289900000003', 'none');
    const sent = await companion.socket.sendMessage('6289900000003@s.whatsapp.net', { text: 'ping' });
    const messageId = sent!.key.id!;
    await waitUntil(async () => (await sim.client.sentMessages({ messageId })).length > 0, 5_000, 'sent record');
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(companion.updates.filter((update) => update.key.id === messageId && update.update.status)).toEqual([]);

    const record = await sim.client.emitReceipt(messageId, 'read');
    expect(record.receipts.read).toBeDefined();
    await companion.waitForStatus(messageId, READ);
  });

  it('queues texts for an offline companion and delivers them as append on reconnect', async () => {
    const first = await linkedAccount('6282200000004');
    await sim.client.createContact('6289900000004');
    await first.end();

    const queued = [
      await sim.client.sendInbound({ from: '6289900000004', to: '6282200000004', text: 'selagi offline 1' }),
      await sim.client.sendInbound({ from: '6289900000004', to: '6282200000004', text: 'selagi offline 2' }),
    ];
    expect(queued.map((result) => result.devices[1])).toEqual(['queued', 'queued']);
    expect((await sim.client.phone('6282200000004')).devices[0]?.queued).toBe(2);

    const again = Companion.connect(sim, first.auth);
    open.push(again);
    const received = await Promise.all(queued.map(({ messageId }) => again.waitForUpsert((entry) => entry.message.key.id === messageId)));
    expect(received.map((entry) => [entry.type, entry.message.message?.conversation])).toEqual([
      ['append', 'selagi offline 1'],
      ['append', 'selagi offline 2'],
    ]);
    expect((await sim.client.phone('6282200000004')).devices[0]?.queued).toBe(0);
  });

  it('answers a long poll for sent records once enough match, with the sub-ms decrypt time of the latest', async () => {
    const companion = await linkedAccount('6282200000007');
    await sim.client.createContact('6289900000007');
    const none = await sim.client.waitForSent({ account: '6282200000007' }, 1, 50);
    expect(none).toEqual({ count: 0, reached: false, last: null });

    const waiting = sim.client.waitForSent({ account: '6282200000007', to: '6289900000007' }, 2, 10_000);
    const before = performance.timeOrigin + performance.now();
    await companion.socket.sendMessage('6289900000007@s.whatsapp.net', { text: 'satu' });
    await companion.socket.sendMessage('6289900000007@s.whatsapp.net', { text: 'dua' });
    const result = await waiting;
    expect(result).toMatchObject({ count: 2, reached: true, last: { text: 'dua', toPhoneNumber: '6289900000007' } });
    expect(result.last!.receivedAtMs).toBeGreaterThan(before);
    expect(result.last!.receivedAtMs).toBeLessThan(performance.timeOrigin + performance.now());
    expect(Math.floor(result.last!.receivedAtMs)).toBe(Date.parse(result.last!.receivedAt));
    // Records already logged count: answered at once.
    expect(await sim.client.waitForSent({ account: '6282200000007' }, 2, 0)).toMatchObject({ count: 2, reached: true });
  });

  it("passes a message between two accounts' companions", async () => {
    const alice = await linkedAccount('6282200000005');
    const bob = await linkedAccount('6282200000006');
    const sent = await alice.socket.sendMessage('6282200000006@s.whatsapp.net', { text: 'Hai Bob' });

    const { message } = await bob.waitForUpsert((entry) => entry.message.key.id === sent!.key.id);
    expect(message.messageStubParameters).toBeUndefined();
    expect(message.message?.extendedTextMessage?.text ?? message.message?.conversation).toBe('Hai Bob');
    expect(message.key.remoteJid).toBe('6282200000005@s.whatsapp.net');
  });
});
