import { Agent } from 'undici';
import { AiBackendConfig, loadConfig } from '@app/config';
import { type AppError } from '@app/contracts';
import { AddressPolicy, SafeUrlFetcher } from '@app/safe-fetch';
import { HttpRecorder } from '../../../test/support/http-recorder';
import { AiBackendClient } from './ai-backend.client';
import type { AiExecution } from './ai-run.payload';

// Required by the config schema; this spec opens no database.
const CONFIG_ENV = { DATABASE_URL: 'postgresql://unused', ENCRYPTION_KEY: 'a'.repeat(64) };

describe('AiBackendClient', () => {
  const backend = new HttpRecorder();
  let url: string;
  let fetcher: SafeUrlFetcher;

  const clientWith = (env: Record<string, string>) =>
    new AiBackendClient(loadConfig(AiBackendConfig, { ...CONFIG_ENV, AI_TIMEOUT_MS: '1000', ...env }), fetcher);
  const call = (endpoint: string, apiKey: string | null = 'sk-1'): AiExecution => ({
    endpoint,
    apiKey,
    traceId: 'trace-ai-1',
    payload: {
      input: 'Halo',
      session_id: '6281234567890@s.whatsapp.net',
      parameters: { max_steps: 5 },
      metadata: { agent_id: 'bot', trace_id: 'trace-ai-1', source: 'api' },
    },
  });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (error: AppError) => error,
    );

  beforeAll(async () => {
    url = await backend.start();
    const policy = new AddressPolicy([]);
    fetcher = new SafeUrlFetcher(policy, new Agent({ connect: { lookup: policy.guardedLookup() } }));
  });

  afterAll(async () => {
    await fetcher.onApplicationShutdown();
    await backend.stop();
  });

  beforeEach(() => {
    backend.requests.length = 0;
  });

  it('posts the payload with the Bearer key and trace id to the trusted default backend, and returns the reply', async () => {
    backend.answerWith(() => ({ body: { reply: 'Hai!', usage: { tokens: 3 } } }));
    const client = clientWith({ AI_BACKEND_URL: `${url}/` });
    expect(client.defaultEndpoint('bot 1')).toBe(`${url}/agents/bot%201/execute`);
    expect(await client.execute(call(client.defaultEndpoint('bot')!))).toEqual({ reply: 'Hai!' });
    const [request] = backend.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/agents/bot/execute' });
    expect(request.headers).toMatchObject({ authorization: 'Bearer sk-1', 'x-request-id': 'trace-ai-1', 'content-type': 'application/json' });
    expect(JSON.parse(request.body)).toMatchObject({ input: 'Halo', session_id: '6281234567890@s.whatsapp.net' });
  });

  it.each([
    [{ reply: null }, null],
    [{ reply: '   ' }, null],
    [{}, null],
  ])('treats %j as no reply', async (body, expected) => {
    backend.answerWith(() => ({ body }));
    expect((await clientWith({ AI_BACKEND_URL: url }).execute(call(`${url}/x`, null))).reply).toBe(expected);
    expect(backend.requests[0].headers.authorization).toBeUndefined();
  });

  it('maps an HTTP error, a body that is not a reply and an unreachable backend to AI_DOWNSTREAM_ERROR', async () => {
    const client = clientWith({ AI_BACKEND_URL: url });
    backend.answerWith(() => ({ status: 503, body: { error: 'overloaded' } }));
    expect(await failure(client.execute(call(url)))).toMatchObject({ code: 'AI_DOWNSTREAM_ERROR', details: { status: 503 } });
    backend.answerWith(() => ({ body: { reply: { text: 'nested' } } }));
    expect(await failure(client.execute(call(url)))).toMatchObject({ code: 'AI_DOWNSTREAM_ERROR', message: expect.stringContaining('not a string') });
    expect(await failure(clientWith({ AI_BACKEND_URL: 'http://127.0.0.1:9' }).execute(call('http://127.0.0.1:9/x')))).toMatchObject({
      code: 'AI_DOWNSTREAM_ERROR',
    });
  });

  it('maps a backend slower than AI_TIMEOUT_MS to AI_TIMEOUT, trusted or not', async () => {
    backend.answerWith(() => ({ delayMs: 5_000, body: { reply: 'late' } }));
    const started = Date.now();
    expect(await failure(clientWith({ AI_BACKEND_URL: url }).execute(call(url)))).toMatchObject({ code: 'AI_TIMEOUT' });
    // Given up at the 1 s timeout, well before the backend's 5 s answer.
    expect(Date.now() - started).toBeLessThan(4_000);
    const allowing = new AddressPolicy(['127.0.0.1']);
    const safe = new SafeUrlFetcher(allowing, new Agent({ connect: { lookup: allowing.guardedLookup() } }));
    const tenantEndpoint = new AiBackendClient(loadConfig(AiBackendConfig, { ...CONFIG_ENV, AI_TIMEOUT_MS: '1000' }), safe);
    expect(await failure(tenantEndpoint.execute(call(url)))).toMatchObject({ code: 'AI_TIMEOUT' });
    await safe.onApplicationShutdown();
  });

  it("refuses a tenant endpoint on a private address that is not allow-listed (only AI_BACKEND_URL's origin is trusted)", async () => {
    backend.answerWith(() => ({ body: { reply: 'should not be reached' } }));
    const client = clientWith({ AI_BACKEND_URL: 'https://ai.example.com' });
    const error = await failure(client.execute(call(`${url}/internal`)));
    expect(error).toMatchObject({ code: 'AI_DOWNSTREAM_ERROR', message: expect.stringContaining('destination refused') });
    expect(backend.requests).toEqual([]);
  });
});
