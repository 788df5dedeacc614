import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DbFixtures } from '../support/db-fixtures';
import { eventually, SuiteHarness } from '../support/suite-harness';
import type { UntypedJson } from '../support/untyped-json';

/**
 * Sending (issue 6) through the real gateway and workers to the simulator: the simulated contact
 * decrypts exactly what was sent.
 */
describe('sending messages', () => {
  const suite = new SuiteHarness({ workers: 1, env: { MEDIA_MAX_BYTES: String(256 * 1024) } });
  const fixtures = new DbFixtures();
  let userId: string;
  let contact: string;
  let account: string;

  const sent = (filter: { to?: string; messageId?: string }) => suite.sim.client.sentMessages(filter);

  beforeAll(async () => {
    await suite.start();
    userId = (await fixtures.user()).id;
    account = await suite.linkSession('sender', userId);
    contact = await suite.newContact('Budi');
  }, 120_000);

  afterAll(async () => {
    await suite.stop();
    await fixtures.close();
  });

  it('sends a text the contact decrypts exactly, and reports it handed over', async () => {
    const response = await suite.api.post('/agents/sender/messages', { to: `+${contact}`, message: 'Halo dari API' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ delivered: true, status: 'sent', waMessageId: expect.stringMatching(/^3EB0[0-9A-F]{18}$/) });
    const [record] = await sent({ messageId: response.body.waMessageId });
    expect(record).toMatchObject({ kind: 'text', text: 'Halo dari API', toPhoneNumber: contact });
  });

  it('quotes an earlier message and mentions numbers given in any accepted form', async () => {
    const first = await suite.api.post('/agents/sender/messages', { to: contact, message: 'first' });
    const reply = await suite.api.post('/agents/sender/messages', {
      to: `0${contact.slice(2)}`,
      message: 'a reply for @' + contact,
      quotedMessageId: first.body.waMessageId,
      mentions: [`+${contact}`],
    });
    expect(reply.status).toBe(201);
    const [record] = await sent({ messageId: reply.body.waMessageId });
    expect(record).toMatchObject({ text: `a reply for @${contact}`, quotedMessageId: first.body.waMessageId });
    expect(record.mentions).toHaveLength(1);
    expect(record.mentions[0]).toMatch(/@(s\.whatsapp\.net|lid)$/);
  });

  it("updates the delivery status from the contact's receipts up to read", async () => {
    const response = await suite.api.post('/agents/sender/messages', { to: contact, message: 'read me' });
    const read = await eventually(
      async () => {
        const status = await suite.api.get(`/sessions/sender/messages/${response.body.messageId}`);
        return status.body.status === 'read' ? status.body : undefined;
      },
      10_000,
      'read receipt',
    );
    expect(read).toMatchObject({ delivered: true, waMessageId: response.body.waMessageId });
  });

  it('records a delivery receipt on its own when the contact never reads', async () => {
    const silentReader = await suite.newContact('Sari');
    await suite.sim.client.setReceiptMode(silentReader, 'delivered');
    const response = await suite.api.post('/agents/sender/messages', { to: silentReader, message: 'delivered, not read' });
    const statusOf = async () => (await suite.api.get(`/sessions/sender/messages/${response.body.messageId}`)).body.status;
    await eventually(async () => ((await statusOf()) === 'delivered' ? true : undefined), 10_000, 'delivery receipt');
    // No read receipt follows, so the status stays where the delivery receipt put it.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await statusOf()).toBe('delivered');
  });

  it('issues its privacy token to a contact once, not with every message', async () => {
    const newContact = await suite.newContact('Tika');
    const issuedBefore = (await suite.sim.client.phone(account)).privacyTokensIssued;
    for (const index of [0, 1, 2, 3]) {
      expect((await suite.api.post('/agents/sender/messages', { to: newContact, message: `token ${index}` })).status).toBe(201);
    }
    await eventually(async () => ((await sent({ to: newContact })).length === 4 ? true : undefined), 10_000, 'four texts at the contact');
    // Baileys issues the token after the send, without waiting: give the last one time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await suite.sim.client.phone(account)).privacyTokensIssued - issuedBefore).toBe(1);
  });

  it('sends once for a repeated Idempotency-Key and replays the first answer', async () => {
    const send = () =>
      suite.api.call('POST', '/agents/sender/messages', { to: contact, message: 'exactly once' }, { 'idempotency-key': 'order-42-confirmation' });
    const first = await send();
    const second = await send();
    expect(second.status).toBe(first.status);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const records = (await sent({ to: contact })).filter((record) => record.text === 'exactly once');
    expect(records.map((record) => record.transmissions)).toEqual([1]);
  });

  it("accepts the session's api key as Bearer token on its agent routes (seed 003)", async () => {
    await suite.api.post('/sessions', { agentId: 'sender', agentName: 'Sender', userId, apikey: 'sk-session-key-0001', waitForQr: false });
    const response = await fetch(`${suite.api.baseUrl}/agents/sender/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-session-key-0001', 'content-type': 'application/json' },
      body: JSON.stringify({ to: contact, message: 'sent with the session key' }),
    });
    expect(response.status).toBe(201);
    const wrongKey = await fetch(`${suite.api.baseUrl}/agents/sender/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-not-the-key', 'content-type': 'application/json' },
      body: JSON.stringify({ to: contact, message: 'never sent' }),
    });
    expect(wrongKey.status).toBe(401);
  });

  it('refuses what cannot be a recipient, naming the problem', async () => {
    const response = await suite.api.post('/agents/sender/messages', { to: 'not-a-number', message: 'x' });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'INVALID_PAYLOAD', message: expect.stringContaining('letters') });
  });

  it('answers 409 SESSION_NOT_CONNECTED for a session that was never linked', async () => {
    await suite.api.post('/sessions', { agentId: 'not-linked', agentName: 'Not linked', ownerId: userId, waitForQr: false });
    const response = await suite.api.post('/agents/not-linked/messages', { to: contact, message: 'x' });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('SESSION_NOT_CONNECTED');
  });

  describe('media', () => {
    // Small but real files: a PNG signature and an MP4 'ftyp' box make type sniffing agree.
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(2_000, 7)]);
    const mp4 = Buffer.concat([Buffer.from('000000186674797069736f6d', 'hex'), Buffer.alloc(3_000, 9)]);
    const ogg = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(1_500, 3)]);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(4_000, 5)]);

    const decrypted = async (waMessageId: string) => {
      const [record] = await eventually(
        async () => {
          const records = await sent({ messageId: waMessageId });
          return records[0]?.media?.status === 'ready' ? records : undefined;
        },
        10_000,
        'media downloaded and decrypted by the contact',
      );
      return { record: record, bytes: (await suite.sim.client.sentMedia(waMessageId)).bytes };
    };

    it.each([
      ['image', png, 'image/png', { caption: 'Invoice #123' }],
      ['video', mp4, 'video/mp4', { caption: 'a clip' }],
      ['audio', ogg, 'audio/ogg', {}],
      ['document', pdf, 'application/pdf', { caption: 'the contract', filename: 'contract.pdf' }],
    ] as const)('sends a base64 %s the contact decrypts byte for byte', async (kind, bytes, mimeType, extra) => {
      const response = await suite.api.post('/agents/sender/media', { to: contact, data: bytes.toString('base64'), mimeType, ...extra });
      expect(response.status).toBe(201);
      const { record, bytes: received } = await decrypted(response.body.waMessageId);
      expect(record.kind).toBe(kind);
      expect(received.equals(bytes)).toBe(true);
      expect(record.media).toMatchObject({ mimetype: mimeType, ...('caption' in extra ? { caption: extra.caption } : {}) });
      if ('filename' in extra) expect(record.media?.fileName).toBe(extra.filename);
    });

    it('sends a multipart upload with caption and a quoted reply (seed 002)', async () => {
      const quoted = await suite.api.post('/agents/sender/messages', { to: contact, message: 'the question' });
      const form = new FormData();
      form.set('to', contact);
      form.set('caption', 'the answer, as a picture');
      form.set('quotedMessageId', quoted.body.waMessageId);
      form.set('file', new Blob([png], { type: 'image/png' }), 'answer.png');
      const response = await fetch(`${suite.api.baseUrl}/agents/sender/media`, { method: 'POST', headers: { 'x-api-key': suite.adminKey }, body: form });
      expect(response.status).toBe(201);
      const body = (await response.json()) as { waMessageId: string; previewPath?: string };
      const { record, bytes } = await decrypted(body.waMessageId);
      expect(bytes.equals(png)).toBe(true);
      expect(record).toMatchObject({ kind: 'image', quotedMessageId: quoted.body.waMessageId, media: { caption: 'the answer, as a picture' } });
      expect(body.previewPath).toEqual(expect.any(String));
    });
  });

  describe('media safety', () => {
    let server: Server;
    let port: number;

    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === '/to-metadata') res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
        else res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(64));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it.each([
      ['loopback', () => `http://127.0.0.1:${port}/image.png`],
      ['localhost by name', () => `http://localhost:${port}/image.png`],
      ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data'],
      ['a redirect to a private address', () => `http://127.0.0.1:${port}/to-metadata`],
    ])('refuses to fetch media from %s', async (_name, url) => {
      const response = await suite.api.post('/agents/sender/media', { to: contact, url: url(), mediaType: 'image' });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'INVALID_PAYLOAD', details: { reason: 'blocked' } });
    });

    it('refuses oversized media with 413 MEDIA_TOO_LARGE and sends nothing', async () => {
      const before = (await sent({ to: contact })).length;
      const response = await suite.api.post('/agents/sender/media', {
        to: contact,
        data: Buffer.alloc(300 * 1024, 1).toString('base64'),
        mimeType: 'image/png',
      });
      expect(response.status).toBe(413);
      expect(response.body.error.code).toBe('MEDIA_TOO_LARGE');
      expect((await sent({ to: contact })).length).toBe(before);
    });
  });
});

describe('per-session send limits', () => {
  // Seed 003's defaults: 100 messages a minute with a burst of 100, at most 500 waiting.
  const suite = new SuiteHarness({ workers: 1, env: { SEND_RESPONSE_WAIT_MS: '0' } });
  const fixtures = new DbFixtures();
  let contact: string;

  beforeAll(async () => {
    await suite.start();
    await suite.linkSession('busy', (await fixtures.user()).id);
    contact = await suite.newContact();
  }, 120_000);

  afterAll(async () => {
    await suite.api.delete('/sessions/busy/queue');
    await suite.stop();
    await fixtures.close();
  });

  it('sends a burst of 100 at once, queues the 101st, and refuses the 501st waiting message with 429', async () => {
    const accepted: { messageId: string; waMessageId: string }[] = [];
    let refused: { status: number; body: UntypedJson } | undefined;
    for (let i = 0; i < 700 && !refused; i++) {
      const response = await suite.api.post('/agents/busy/messages', { to: contact, message: `m${i}` });
      // 201 when the drainer happened to send it before the answer, 202 when still queued.
      if (response.status === 201 || response.status === 202) accepted.push(response.body);
      else refused = response;
    }
    expect(refused).toMatchObject({ status: 429, body: { error: { code: 'RATE_LIMITED', details: { queued: 500, limit: 500 } } } });
    const queue = (await suite.api.get('/sessions/busy/queue')).body;
    expect(queue.pending + queue.processing).toBe(500);

    // The bucket holds 100 and refills one every 600 ms, so the (k+1)-th message cannot go out before
    // (k + 1 - 100) × 600 ms after the first, however slowly the burst itself went out.
    const sentAt = async (index: number) => {
      const [record] = await suite.sim.client.sentMessages({ messageId: accepted[index].waMessageId });
      return record ? Date.parse(record.receivedAt) : undefined;
    };
    const firstSent = await eventually(() => sentAt(0), 10_000, 'first message sent');
    const hundredthSent = await eventually(() => sentAt(99), 20_000, '100th message sent');
    expect(hundredthSent - firstSent).toBeLessThan(30_000);
    const at110 = await eventually(() => sentAt(110), 30_000, '111th message sent');
    const at120 = await eventually(() => sentAt(120), 30_000, '121st message sent');
    expect(at110 - firstSent).toBeGreaterThanOrEqual(11 * 600 * 0.8);
    expect(at120 - firstSent).toBeGreaterThanOrEqual(21 * 600 * 0.8);

    const cleared = await suite.api.delete('/sessions/busy/queue');
    expect(cleared.body.cleared).toBeGreaterThan(400);
    const status = await suite.api.get(`/sessions/busy/messages/${accepted[accepted.length - 1].messageId}`);
    expect(status.body.status).toBe('cancelled');
  }, 120_000);
});
