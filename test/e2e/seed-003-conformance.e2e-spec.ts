import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DbFixtures } from '../support/db-fixtures';
import { HttpRecorder } from '../support/http-recorder';
import { eventually, SuiteHarness } from '../support/suite-harness';
import type { UntypedJson } from '../support/untyped-json';

/** A 1×1 PNG. */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
/** Seed 003's media limit, configured here as a seed 003 installation would. */
const TEN_MB = 10 * 1024 * 1024;

/**
 * Seed 003 ("Alur Kerja WhatsApp API") replayed against the suite: every documented request, with
 * the documented bodies, and the documented answers read back. The client authenticates as 003's
 * clients do on agent routes (Bearer = the session's key) and, where 003 had no credential at all,
 * with the API key of a gateway user standing for the client service (docs/MIGRATING.md).
 */
describe('seed 003 conformance', () => {
  const aiBackend = new HttpRecorder();
  const tempDir = mkdtempSync(join(tmpdir(), 'wagw-003-'));
  let mediaHost: Server;
  let mediaUrl: string;
  let aiUrl: string;
  const suite = new SuiteHarness({
    workers: 1,
    env: {
      get AI_BACKEND_URL() {
        return aiUrl;
      },
      AI_TIMEOUT_MS: '1500',
      MEDIA_MAX_BYTES: String(TEN_MB),
      URL_FETCH_ALLOWLIST: '127.0.0.1',
      TEMP_DIR: tempDir,
    },
  });
  const fixtures = new DbFixtures();
  const stamp = Date.now().toString(36);
  const USER_ID = `user-${stamp}`;
  const AGENT_ID = `agent-${stamp}`;
  let serviceKey: string;
  let token: string;
  let contact: string;

  /** A request as a seed 003 client makes it: JSON, and the credential of the route. */
  const call = async (method: string, path: string, body: unknown, credential: Record<string, string>) => {
    const response = await fetch(`${suite.api.baseUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...credential },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(90_000),
    });
    const text = await response.text();
    return { status: response.status, body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text, headers: response.headers };
  };
  const asService = () => ({ 'x-api-key': serviceKey });
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  /** The envelope of every error (seed 003): `{ error: { code, message, traceId } }`. */
  const expectError = (response: { status: number; body: UntypedJson }, status: number, code: string) => {
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String), traceId: expect.any(String) }) });
  };
  const received = async (filter: (record: { text?: string; kind: string; messageId: string }) => boolean) =>
    eventually(async () => (await suite.sim.client.sentMessages({ to: contact })).find(filter), 10_000, 'the contact received it');

  beforeAll(async () => {
    aiUrl = await aiBackend.start();
    mediaHost = createServer((req, res) => {
      if (req.url === '/huge.jpg') return res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(TEN_MB + 1) }).end();
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from(PNG_BASE64, 'base64'));
    });
    await new Promise<void>((resolve) => mediaHost.listen(0, '127.0.0.1', resolve));
    mediaUrl = `http://127.0.0.1:${(mediaHost.address() as AddressInfo).port}`;
    await suite.start();
    const service = await suite.api.post('/users', { email: `service-${stamp}@seed003.test`, password: 'a long passphrase 003', name: '003 client' });
    serviceKey = (await suite.api.post(`/users/${service.body.id}/api-keys`, { name: 'seed 003 client' })).body.key;
    // The shared api_keys table (seed 003) holds the active key of the client's user.
    token = `sk-api-keys-${stamp}`;
    await fixtures.prisma.sharedApiKey.create({ data: { userId: USER_ID, accessToken: token, isActive: true } });
    contact = await suite.newContact('Budi');
  }, 120_000);

  afterAll(async () => {
    await suite.stop();
    await fixtures.close();
    await aiBackend.stop();
    await new Promise((resolve) => mediaHost.close(resolve));
    rmSync(tempDir, { recursive: true, force: true });
  });

  it('1) POST /sessions {userId, agentId, agentName, apikey}: the record plus liveState with the first QR', async () => {
    const created = await call(
      'POST',
      '/sessions',
      { userId: USER_ID, agentId: AGENT_ID, agentName: 'Support Bot', apikey: 'API_KEY_JIKA_DB_KOSONG' },
      asService(),
    );
    expect(created.status).toBeGreaterThanOrEqual(200);
    expect(created.status).toBeLessThan(300);
    expect(created.body).toMatchObject({
      agentId: AGENT_ID,
      agentName: 'Support Bot',
      userId: USER_ID,
      status: 'awaiting_qr',
      liveState: {
        isReady: false,
        hasClient: true,
        sessionState: 'awaiting_qr',
        qr: { contentType: 'image/png', base64: expect.any(String) },
        qrUpdatedAt: expect.any(String),
      },
    });
    expect(Buffer.from(created.body.liveState.qr.base64, 'base64').subarray(1, 4).toString()).toBe('PNG');
    // Seed 003: the key is the active api_keys token of userId when there is one (here), else apikey.
    expect((await call('POST', `/agents/${AGENT_ID}/messages`, { to: contact, message: 'x' }, bearer('API_KEY_JIKA_DB_KOSONG'))).status).toBe(401);
  });

  it('1b) POST /sessions for a userId without an api_keys token keeps the apikey sent', async () => {
    const created = await call(
      'POST',
      '/sessions',
      { userId: `${USER_ID}-none`, agentId: `${AGENT_ID}-b`, agentName: 'Second Bot', apikey: 'sk-apikey-of-the-request' },
      asService(),
    );
    expect(created.body).toMatchObject({ agentId: `${AGENT_ID}-b`, userId: `${USER_ID}-none`, liveState: { isReady: false } });
    // Not linked: seed 003's documented 409, reached with the apikey as Bearer. Its code is
    // SESSION_NOT_CONNECTED (SESSION_NOT_READY is the retryable 503 of a session between owners).
    expectError(
      await call('POST', `/agents/${AGENT_ID}-b/messages`, { to: contact, message: 'too early' }, bearer('sk-apikey-of-the-request')),
      409,
      'SESSION_NOT_CONNECTED',
    );
  });

  it('2) GET /sessions/{agentId}: record plus live state; 404 SESSION_NOT_FOUND for an unknown agent', async () => {
    const status = await call('GET', `/sessions/${AGENT_ID}`, undefined, asService());
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      agentId: AGENT_ID,
      agentName: 'Support Bot',
      liveState: { isReady: false, hasClient: true, sessionState: 'awaiting_qr' },
    });
    expect(status.body.liveState.qr).toMatchObject({ contentType: 'image/png' });
    expectError(await call('GET', '/sessions/no-such-agent', undefined, asService()), 404, 'SESSION_NOT_FOUND');
  });

  it('5) POST /sessions/{agentId}/qr: { qr: { contentType, base64 }, qrUpdatedAt }', async () => {
    const qr = await call('POST', `/sessions/${AGENT_ID}/qr`, undefined, asService());
    expect(qr.status).toBe(200);
    expect(qr.body).toEqual({ qr: { contentType: 'image/png', base64: expect.any(String) }, qrUpdatedAt: expect.any(String) });
    expect(Number.isNaN(Date.parse(qr.body.qrUpdatedAt))).toBe(false);
  });

  it('links when the phone scans, and GET shows it ready', async () => {
    const phone = suite.newPhone();
    await suite.sim.client.createAccount(phone);
    const raw = await call('GET', `/sessions/${AGENT_ID}/qr?format=raw`, undefined, asService());
    await suite.sim.client.scanQr(phone, raw.body.qr);
    const ready = await eventually(
      async () => {
        const status = await call('GET', `/sessions/${AGENT_ID}`, undefined, asService());
        return status.body.liveState?.isReady ? status.body : undefined;
      },
      15_000,
      'session ready',
    );
    expect(ready).toMatchObject({ status: 'connected', liveState: { isReady: true, hasClient: true, sessionState: 'connected', qr: null } });
  });

  it('7) POST /agents/{agentId}/messages {to, message, quotedMessageId}: { delivered: true }', async () => {
    const first = await call('POST', `/agents/${AGENT_ID}/messages`, { to: contact, message: 'Halo dari API' }, bearer(token));
    expect(first.body).toMatchObject({ delivered: true });
    const original = await received((record) => record.text === 'Halo dari API');
    // Seed 003 clients quote by whatsapp-web.js names (`true_<chat>@c.us_<id>`).
    const quoted = await call(
      'POST',
      `/agents/${AGENT_ID}/messages`,
      { to: contact, message: 'Balasan', quotedMessageId: `true_${contact}@c.us_${original.messageId}` },
      bearer(token),
    );
    expect(quoted.body).toMatchObject({ delivered: true });
    expect(await received((record) => record.text === 'Balasan')).toMatchObject({ quotedMessageId: original.messageId });
    expectError(await call('POST', `/agents/${AGENT_ID}/messages`, { to: contact }, bearer(token)), 400, 'INVALID_PAYLOAD');
  });

  it('8) POST /agents/{agentId}/media from base64 and from a URL: { delivered: true, previewPath }', async () => {
    const fromBase64 = await call(
      'POST',
      `/agents/${AGENT_ID}/media`,
      { to: contact, data: PNG_BASE64, caption: 'Invoice #123', filename: 'invoice.jpg', mimeType: 'image/png' },
      bearer(token),
    );
    expect(fromBase64.body).toMatchObject({ delivered: true, previewPath: expect.stringContaining(tempDir) });
    expect(await received((record) => record.text === 'Invoice #123')).toMatchObject({ kind: 'image', media: { mimetype: 'image/png' } });
    const fromUrl = await call('POST', `/agents/${AGENT_ID}/media`, { to: contact, url: `${mediaUrl}/image.png`, caption: 'From URL' }, bearer(token));
    expect(fromUrl.body).toMatchObject({ delivered: true });
    expect(await received((record) => record.text === 'From URL')).toMatchObject({ kind: 'image' });
    // 10 MB: HEAD's content-length decides for URLs, the decoded size for base64.
    expectError(await call('POST', `/agents/${AGENT_ID}/media`, { to: contact, url: `${mediaUrl}/huge.jpg` }, bearer(token)), 413, 'MEDIA_TOO_LARGE');
    const oversized = Buffer.alloc(TEN_MB + 1, 1).toString('base64');
    expectError(
      await call('POST', `/agents/${AGENT_ID}/media`, { to: contact, data: oversized, mimeType: 'image/png' }, bearer(token)),
      413,
      'MEDIA_TOO_LARGE',
    );
    expectError(await call('POST', `/agents/${AGENT_ID}/media`, { to: contact, caption: 'no media' }, bearer(token)), 400, 'INVALID_PAYLOAD');
  });

  it('6) POST /agents/{agentId}/run {input, parameters, session_id}: the AI reply is sent, { reply, replySent, traceId }', async () => {
    aiBackend.answerWith(() => ({ body: { reply: 'Halo! Ada yang bisa dibantu?' } }));
    aiBackend.requests.length = 0;
    const run = await call('POST', `/agents/${AGENT_ID}/run`, { input: 'Hello assistant!', parameters: { max_steps: 5 }, session_id: contact }, bearer(token));
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ reply: 'Halo! Ada yang bisa dibantu?', replySent: true, traceId: expect.any(String) });
    const [request] = aiBackend.requests;
    expect(request).toMatchObject({ method: 'POST', url: `/agents/${AGENT_ID}/execute` });
    expect(request.headers.authorization).toBe(`Bearer ${token}`);
    expect(JSON.parse(request.body)).toMatchObject({ input: 'Hello assistant!', session_id: `${contact}@s.whatsapp.net`, parameters: { max_steps: 5 } });
    await received((record) => record.text === 'Halo! Ada yang bisa dibantu?');

    // `message` instead of `input`, and the default parameters.
    aiBackend.requests.length = 0;
    await call('POST', `/agents/${AGENT_ID}/run`, { message: 'Apa kabar?', session_id: contact }, bearer(token));
    expect(JSON.parse(aiBackend.requests[0].body)).toMatchObject({ input: 'Apa kabar?', parameters: { max_steps: 5 } });

    aiBackend.answerWith(() => ({ delayMs: 5_000, body: { reply: 'too late' } }));
    expectError(await call('POST', `/agents/${AGENT_ID}/run`, { input: 'slow', session_id: contact }, bearer(token)), 504, 'AI_TIMEOUT');
    aiBackend.answerWith(() => ({ status: 500, body: { error: 'down' } }));
    expectError(await call('POST', `/agents/${AGENT_ID}/run`, { input: 'broken', session_id: contact }, bearer(token)), 502, 'AI_DOWNSTREAM_ERROR');
    expectError(await call('POST', `/agents/${AGENT_ID}/run`, { input: 'no partner' }, bearer(token)), 400, 'INVALID_PAYLOAD');
  });

  it('answers a wrong Bearer with 401 and re-syncs the key from api_keys, so a rotated key works on a later try', async () => {
    expectError(await call('POST', `/agents/${AGENT_ID}/messages`, { to: contact, message: 'wrong key' }, bearer('sk-wrong')), 401, 'UNAUTHORIZED');
    const rotated = `sk-rotated-${stamp}`;
    await fixtures.prisma.sharedApiKey.create({ data: { userId: USER_ID, accessToken: rotated, isActive: true, createdAt: new Date(Date.now() + 1_000) } });
    expect((await call('POST', `/agents/${AGENT_ID}/messages`, { to: contact, message: 'rotated' }, bearer(rotated))).status).toBe(401);
    const accepted = await eventually(
      async () => {
        const response = await call('POST', `/agents/${AGENT_ID}/messages`, { to: contact, message: 'rotated' }, bearer(rotated));
        return response.status < 300 ? response : undefined;
      },
      10_000,
      'the rotated key accepted',
    );
    expect(accepted.body).toMatchObject({ delivered: true });
    token = rotated;
  });

  it('1 again) POST /sessions on an existing agent updates it (upsert) and keeps the link', async () => {
    const updated = await call('POST', '/sessions', { userId: USER_ID, agentId: AGENT_ID, agentName: 'Support Bot v2' }, asService());
    expect(updated.body).toMatchObject({ agentId: AGENT_ID, agentName: 'Support Bot v2', userId: USER_ID, liveState: { isReady: true } });
  });

  it('4) POST /sessions/{agentId}/reconnect: the same answer as create; 404 for an unknown agent', async () => {
    const reconnected = await call('POST', `/sessions/${AGENT_ID}/reconnect`, undefined, asService());
    expect(reconnected.status).toBe(200);
    expect(reconnected.body).toMatchObject({ agentId: AGENT_ID, agentName: 'Support Bot v2', liveState: { hasClient: true } });
    expectError(await call('POST', '/sessions/no-such-agent/reconnect', undefined, asService()), 404, 'SESSION_NOT_FOUND');
  });

  it('9) GET /health { status, uptime, timestamp, traceId } and GET /metrics with the seed 003 metrics', async () => {
    const health = await call('GET', '/health', undefined, {});
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', uptime: expect.any(Number), timestamp: expect.any(String), traceId: expect.any(String) });
    const gatewayMetrics = (await call('GET', '/metrics', undefined, {})).body as string;
    for (const name of ['errors_total', 'ai_latency_seconds']) expect(gatewayMetrics).toContain(name);
    const workerMetrics = await (await fetch(suite.workerMetricsUrls.get('w1')!)).text();
    for (const name of ['sessions_active', 'messages_sent_total', 'messages_received_total']) expect(workerMetrics).toContain(name);
  });

  it('3) DELETE /sessions/{agentId}: { deleted: true }, then 200 with deleted: false', async () => {
    const deleted = await call('DELETE', `/sessions/${AGENT_ID}`, undefined, asService());
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ deleted: true });
    const again = await call('DELETE', `/sessions/${AGENT_ID}`, undefined, asService());
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ deleted: false });
    expectError(await call('POST', '/sessions', { userId: USER_ID, agentId: AGENT_ID }, asService()), 400, 'INVALID_PAYLOAD');
  });
});
