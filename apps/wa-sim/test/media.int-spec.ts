import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { downloadContentFromMessage, downloadMediaMessage, proto, type AnyMessageContent, type WAMessage } from '@whiskeysockets/baileys';
import type { SentMessageRecord } from '../src/messaging/message-log.service';
import { type Companion, linkByQr, startTestSim, waitUntil, type TestSim } from './baileys-companion';

const run = promisify(execFile);
const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const ACCOUNT = '6283300000001';
const CONTACT = '6289930000001';
const CONTACT_JID = `${CONTACT}@s.whatsapp.net`;

describe('wa-sim media (real Baileys)', () => {
  let sim: TestSim;
  let companion: Companion;

  beforeAll(async () => {
    sim = await startTestSim();
    await sim.client.createAccount(ACCOUNT);
    await sim.client.createContact(CONTACT, 'Siti');
    companion = await linkByQr(sim, ACCOUNT);
  });

  afterAll(async () => {
    await companion?.end();
    await sim?.stop();
  });

  /** Sends through Baileys (upload to the media host included) and waits for the contact's verdict. */
  async function send(content: AnyMessageContent): Promise<SentMessageRecord> {
    const sent = await companion.socket.sendMessage(CONTACT_JID, content);
    const messageId = sent!.key.id!;
    return waitUntil(
      async () => (await sim.client.sentMessages({ messageId })).find((record) => record.media?.status !== 'pending'),
      10_000,
      `the contact's check of ${messageId}`,
    );
  }

  const download = (message: WAMessage): Promise<Buffer> => downloadMediaMessage(message, 'buffer', { options: sim.mediaFetchOptions });

  it('announces the media host and its CA', async () => {
    const info = await sim.client.info();
    expect(info.mediaUrl).toBe(sim.mediaUrl);
    expect(info.caCertificatePath).toBe(sim.caCertificatePath);
    expect(readFileSync(info.caCertificatePath, 'utf8')).toContain('BEGIN CERTIFICATE');
    const grant = await sim.client.mediaConnection();
    expect(grant.hosts).toEqual([{ hostname: new URL(sim.mediaUrl).host, maxContentLengthBytes: expect.any(Number) }]);
  });

  type Expected = Partial<SentMessageRecord['media']> & { kind: string };
  const outbound: [string, AnyMessageContent, Expected][] = [
    [
      'an image with a caption',
      { image: randomBytes(3000), caption: 'Katalog baru', mimetype: 'image/png' },
      { kind: 'image', caption: 'Katalog baru', mimetype: 'image/png' },
    ],
    ['a video', { video: randomBytes(70_000), mimetype: 'video/mp4' }, { kind: 'video', mimetype: 'video/mp4' }],
    ['an audio file', { audio: randomBytes(4000), mimetype: 'audio/mpeg', seconds: 3 }, { kind: 'audio', mimetype: 'audio/mpeg' }],
    ['a voice note (ptt)', { audio: randomBytes(2500), mimetype: 'audio/ogg; codecs=opus', ptt: true, seconds: 2 }, { kind: 'audio', ptt: true }],
    [
      'a document with a file name',
      { document: randomBytes(12_345), mimetype: 'application/pdf', fileName: 'invoice-042.pdf' },
      { kind: 'document', fileName: 'invoice-042.pdf', mimetype: 'application/pdf' },
    ],
  ];

  it.each(outbound)('decrypts %s and returns the exact bytes', async (_name, content, expected) => {
    const bytes = Object.values(content).find((value): value is Buffer => Buffer.isBuffer(value))!;
    const { kind, ...media } = expected;
    const record = await send(content);

    expect(record.kind).toBe(kind);
    expect(record.media).toMatchObject({ ...media, status: 'ready', decryptedSha256: sha256Hex(bytes), decryptedLength: bytes.length });
    expect(record.media?.directPath).toMatch(/^\/v\//);
    const fetched = await sim.client.sentMedia(record.messageId);
    expect(fetched.bytes.equals(bytes)).toBe(true);
    expect(fetched.contentType.split(';')[0]).toBe(record.media?.mimetype?.split(';')[0]);
  });

  it('delivers inbound media that Baileys downloads with downloadMediaMessage', async () => {
    const image = randomBytes(5000);
    const document = randomBytes(300_000); // beyond the default 100 kB JSON body limit once base64
    const voice = randomBytes(1800);
    const results = [
      await sim.client.sendInboundMedia(CONTACT, ACCOUNT, { kind: 'image', data: image, mimetype: 'image/jpeg', caption: 'Promo hari ini' }),
      await sim.client.sendInboundMedia(CONTACT, ACCOUNT, { kind: 'document', data: document, mimetype: 'application/pdf', fileName: 'katalog.pdf' }),
      await sim.client.sendInboundMedia(CONTACT, ACCOUNT, { kind: 'audio', data: voice, ptt: true, seconds: 1 }),
    ];
    const [imageMessage, documentMessage, voiceMessage] = await Promise.all(
      results.map(({ messageId }) => companion.waitForUpsert((entry) => entry.message.key.id === messageId).then((entry) => entry.message)),
    );

    expect(imageMessage.message?.imageMessage).toMatchObject({ caption: 'Promo hari ini', mimetype: 'image/jpeg' });
    expect(documentMessage.message?.documentMessage).toMatchObject({ fileName: 'katalog.pdf', mimetype: 'application/pdf' });
    expect(voiceMessage.message?.audioMessage).toMatchObject({ ptt: true, mimetype: 'audio/ogg; codecs=opus' });
    expect((await download(imageMessage)).equals(image)).toBe(true);
    expect((await download(documentMessage)).equals(document)).toBe(true);
    expect((await download(voiceMessage)).equals(voice)).toBe(true);
    const inbound = await sim.client.inboundMessages(ACCOUNT);
    expect(inbound.find((record) => record.messageId === results[1].messageId)).toMatchObject({
      kind: 'document',
      media: { fileName: 'katalog.pdf' },
    });
  });

  it("passes media between two accounts' companions", async () => {
    await sim.client.createAccount('6283300000002');
    const other = await linkByQr(sim, '6283300000002');
    try {
      const bytes = randomBytes(6000);
      const sent = await companion.socket.sendMessage('6283300000002@s.whatsapp.net', {
        document: bytes,
        mimetype: 'text/csv',
        fileName: 'stok.csv',
      });
      const { message } = await other.waitForUpsert((entry) => entry.message.key.id === sent!.key.id);
      expect(message.message?.documentMessage).toMatchObject({ fileName: 'stok.csv', mimetype: 'text/csv' });
      expect((await download(message)).equals(bytes)).toBe(true);
    } finally {
      await other.end();
    }
  });

  it('reports a tampered, a wrongly keyed and a missing blob instead of failing', async () => {
    await sim.client.corruptMediaUploads(1);
    const tampered = await send({ image: randomBytes(2000), caption: 'rusak' });
    expect(tampered.media).toMatchObject({ status: 'failed', error: expect.stringMatching(/^FILE_ENC_SHA256_MISMATCH/) });
    await expect(sim.client.sentMedia(tampered.messageId)).rejects.toMatchObject({ status: 409, code: 'MEDIA_UNAVAILABLE' });

    // Real blobs, forged message fields, relayed by Baileys as they are.
    const intact = await send({ document: randomBytes(1000), fileName: 'asli.txt', mimetype: 'text/plain' });
    const original = proto.Message.decode(Buffer.from(intact.rawMessage, 'base64')).documentMessage!;
    const relay = async (documentMessage: proto.Message.IDocumentMessage): Promise<SentMessageRecord> => {
      const messageId = await companion.socket.relayMessage(CONTACT_JID, { documentMessage }, {});
      return waitUntil(
        async () => (await sim.client.sentMessages({ messageId })).find((record) => record.media?.status !== 'pending'),
        10_000,
        `the check of ${messageId}`,
      );
    };
    const wrongKey = await relay({ ...original, mediaKey: randomBytes(32) });
    expect(wrongKey.media?.error).toMatch(/^MAC_MISMATCH/);
    const missing = await relay({ ...original, directPath: '/v/t62.7118-24/00000000000000000000000000000000.enc', url: undefined });
    expect(missing.media?.error).toMatch(/^MEDIA_NOT_FOUND/);

    const after = await send({ image: randomBytes(1500) });
    expect(after.media?.status).toBe('ready');
  });

  it('lets a separate process trust the media host through NODE_EXTRA_CA_CERTS alone', async () => {
    const grant = await sim.client.mediaConnection();
    const body = randomBytes(4096);
    // Uploads like Baileys (node https), downloads like Baileys (fetch); no simulator code involved.
    const script = `
      const { createHash } = require('node:crypto');
      const https = require('node:https');
      const { host, auth, body } = JSON.parse(process.argv[1]);
      const bytes = Buffer.from(body, 'base64');
      const hash = createHash('sha256').update(bytes).digest('base64url');
      const url = 'https://' + host + '/mms/document/' + hash + '?auth=' + encodeURIComponent(auth) + '&token=' + hash;
      const request = https.request(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream' } }, (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', async () => {
          const { url: mediaUrl } = JSON.parse(text);
          const downloaded = Buffer.from(await (await fetch(mediaUrl)).arrayBuffer());
          console.log(JSON.stringify({ status: response.statusCode, mediaUrl, same: downloaded.equals(bytes) }));
        });
      });
      request.on('error', (error) => { console.log(JSON.stringify({ error: error.code })); });
      request.end(bytes);`;
    const argument = JSON.stringify({ host: grant.hosts[0].hostname, auth: grant.auth, body: body.toString('base64') });
    const env = { PATH: process.env.PATH ?? '' };

    const trusted = await run(process.execPath, ['-e', script, argument], { env: { ...env, NODE_EXTRA_CA_CERTS: sim.caCertificatePath } });
    expect(JSON.parse(trusted.stdout)).toEqual({ status: 200, mediaUrl: expect.stringMatching(`^${sim.mediaUrl}/v/`), same: true });
    const untrusted = await run(process.execPath, ['-e', script, argument], { env });
    expect(JSON.parse(untrusted.stdout)).toEqual({ error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('keeps its CA and stored blobs across a restart', async () => {
    const first = await startTestSim();
    const mediaPort = Number(new URL(first.mediaUrl).port);
    const caPem = readFileSync(first.caCertificatePath, 'utf8');
    await first.client.createAccount('6283300000009');
    const bytes = randomBytes(777);
    const { messageId } = await first.client.sendInboundMedia(CONTACT, '6283300000009', { kind: 'document', data: bytes, fileName: 'a.bin' });
    const { media } = (await first.client.inboundMessages('6283300000009')).find((record) => record.messageId === messageId)!;
    await first.stop(false);

    const second = await startTestSim(first.stateDir, { mediaPort });
    try {
      expect(second.caCertificatePath).toBe(first.caCertificatePath);
      expect(readFileSync(second.caCertificatePath, 'utf8')).toBe(caPem);
      const stream = await downloadContentFromMessage(
        { mediaKey: Buffer.from(media!.mediaKey!, 'base64'), directPath: media!.directPath, url: media!.url },
        'document',
        { options: second.mediaFetchOptions },
      );
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    } finally {
      await second.stop();
    }
  });
});
