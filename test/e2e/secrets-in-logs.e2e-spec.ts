import { randomBytes } from 'node:crypto';
import { HttpRecorder } from '../support/http-recorder';
import { eventually, SuiteHarness } from '../support/suite-harness';
import type { UntypedJson } from '../support/untyped-json';

const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;

/**
 * Every secret a full run handles — the bootstrap admin key, passwords, login tokens, API keys,
 * session tokens, a session's AI key, webhook secrets (a session's and the global one), the
 * encryption key and JWT secret, and credentials that were refused — is used for real through
 * every process at the most verbose log level, including failing paths; then the processes' logs
 * are searched for each of them.
 */
describe('secrets never reach the logs', () => {
  const ai = new HttpRecorder();
  const hooks = new HttpRecorder();
  const env: Record<string, string> = {};
  const suite = new SuiteHarness({ workers: 1, agentRunner: true, env });
  const used = new Map<string, string>();

  beforeAll(async () => {
    const [aiUrl, hooksUrl] = await Promise.all([ai.start(), hooks.start()]);
    used.set('global webhook secret', secret('whsec-global'));
    Object.assign(env, {
      LOG_LEVEL: 'trace',
      AI_BACKEND_URL: aiUrl,
      URL_FETCH_ALLOWLIST: '127.0.0.1',
      WEBHOOK_RETRY_UNIT_MS: '5',
      WEBHOOK_POLL_INTERVAL_MS: '50',
      WEBHOOK_BASE_URL: `${hooksUrl}/global`,
      WEBHOOK_BASE_SECRET: used.get('global webhook secret')!,
    });
    ai.answerWith((request) => ({ body: { reply: `echo ${JSON.parse(request.body).input}` } }));
    await suite.start();
  }, 120_000);

  afterAll(async () => {
    await suite.stop();
    await Promise.all([ai.stop(), hooks.stop()]);
  });

  /** A call with exactly these credentials (the harness' client always adds the admin key). */
  async function as(headers: Record<string, string>, method: string, path: string, body?: unknown): Promise<{ status: number; body: UntypedJson }> {
    const response = await fetch(`${suite.api.baseUrl}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  }

  it('finds none of the secrets used in any process log', async () => {
    const api = suite.api;
    used.set('bootstrap admin key', suite.adminKey);
    used.set('encryption key', process.env.ENCRYPTION_KEY!);
    used.set('JWT secret', process.env.JWT_SECRET!);

    // Accounts: a password (also a refused attempt with it), a login token, an API key.
    const password = secret('password');
    used.set('password', password);
    const email = `secrets-${randomBytes(4).toString('hex')}@test.local`;
    const user = await api.post('/users', { email, password, name: 'Secret keeper' });
    expect(user.status).toBe(201);
    const wrongLogin = await as({}, 'POST', '/auth/login', { email: 'nobody@test.local', password });
    expect(wrongLogin.status).toBe(401);
    const login = await as({}, 'POST', '/auth/login', { email, password });
    expect(login.status).toBe(200);
    used.set('login token', login.body.accessToken);
    expect((await as({ authorization: `Bearer ${login.body.accessToken}` }, 'GET', '/auth/me')).status).toBe(200);
    const apiKey = await api.post(`/users/${user.body.id}/api-keys`, { name: 'scripts' });
    used.set('API key', apiKey.body.key);
    expect((await as({ 'x-api-key': apiKey.body.key }, 'GET', '/sessions')).status).toBe(200);
    const refusedKey = secret('wgk_refused');
    used.set('refused API key', refusedKey);
    expect((await as({ 'x-api-key': refusedKey }, 'GET', '/sessions')).status).toBe(401);
    const refusedBearer = secret('refused-bearer');
    used.set('refused bearer token', refusedBearer);
    expect((await as({ authorization: `Bearer ${refusedBearer}` }, 'GET', '/sessions')).status).toBe(401);

    // A session with its AI key, a session token used on a send, a webhook secret on a failing receiver.
    const botPhone = await suite.linkSession('secret-bot', user.body.id);
    const aiKey = secret('sk-ai');
    used.set('session AI key', aiKey);
    expect((await api.call('PUT', '/sessions/secret-bot/agent', { apiKey: aiKey })).status).toBe(200);
    const token = await api.post('/sessions/secret-bot/tokens', { name: 'sender' });
    used.set('session token', token.body.token);
    const contact = await suite.newContact('Contact');
    const sent = await as({ authorization: `Bearer ${token.body.token}` }, 'POST', '/agents/secret-bot/messages', { to: contact, message: 'hello' });
    expect(sent.status).toBeLessThan(300);
    const webhookSecret = secret('whsec-session');
    used.set('session webhook secret', webhookSecret);
    const hookToken = secret('hook-url-token');
    used.set('token in a webhook URL', hookToken);
    hooks.respondWith(500, 500, 200);
    const webhook = await api.call('PUT', '/sessions/secret-bot/webhook', { url: `${hooks.url}/own?token=${hookToken}`, secret: webhookSecret });
    expect(webhook.status).toBe(200);

    // A received text: the AI backend is called with the AI key; the webhook fails twice, then takes it.
    await suite.sim.client.sendInbound({ from: contact, to: botPhone, text: 'are my secrets safe?' });
    await eventually(
      async () => (ai.requests.some((request) => request.headers.authorization === `Bearer ${aiKey}`) ? true : undefined),
      30_000,
      'AI call with the session key',
    );
    await eventually(
      async () => (hooks.requests.filter((request) => request.url.startsWith('/own')).length >= 3 ? true : undefined),
      30_000,
      'webhook delivered after two failures',
    );

    // The global webhook: a session without its own.
    await api.post('/sessions', { agentId: 'secret-global', agentName: 'Global', userId: user.body.id, waitForQr: false });
    await eventually(async () => (hooks.requests.some((request) => request.url === '/global') ? true : undefined), 30_000, 'an event on the global webhook');

    const processes = { gateway: suite.gateway, worker: suite.workers.get('w1')!, 'agent-runner': suite.agentRunner! };
    const leaks: string[] = [];
    for (const [name, process] of Object.entries(processes)) {
      // The logs are there to be searched: verbose, from every request and job.
      expect(process.output.length).toBeGreaterThan(20);
      const log = process.output.join('\n');
      for (const [what, value] of used) if (value && log.includes(value)) leaks.push(`${name} logged the ${what}`);
    }
    expect(leaks).toEqual([]);
  }, 240_000);
});
