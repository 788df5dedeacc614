import { eventually } from '../support/suite-harness';
import { startSandbox, type RunningSandbox } from '../support/sandbox-launcher';
import type { UntypedJson } from '../support/untyped-json';

/**
 * `npm run sandbox` as a newcomer uses it: the README's walk-through, step by step, against the
 * launcher in sandbox mode (the simulator and the suite as processes, no phone).
 */
describe('npm run sandbox, following the README', () => {
  let sandbox: RunningSandbox;
  let gw: string;
  let sim: string;
  let key: string;
  const json = { 'content-type': 'application/json' };

  const call = async (url: string, init: { method?: string; body?: unknown; admin?: boolean } = {}) => {
    const response = await fetch(url, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { ...(init.body === undefined ? {} : json), ...(init.admin === false ? {} : { 'x-api-key': key }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: response.status, body: (await response.json()) as UntypedJson };
  };

  beforeAll(async () => {
    // As in a terminal, where the launcher's default (auto) chooses readable lines.
    sandbox = await startSandbox('sandbox', { LOG_FORMAT: 'pretty' });
    ({ gateway: gw, simulator: sim, adminKey: key } = sandbox);
  }, 150_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('links a session through the simulator, sends a message and receives one', async () => {
    const user = await call(`${gw}/users`, { body: { email: 'dev@example.com', password: 'a long passphrase', name: 'Dev' } });
    expect(user.status).toBe(201);
    expect((await call(`${sim}/accounts`, { body: { phoneNumber: '6281111111111', name: 'Demo phone' }, admin: false })).status).toBe(201);
    const session = await call(`${gw}/sessions`, { body: { agentId: 'demo', agentName: 'Demo', ownerId: user.body.id, waitForQr: false } });
    expect(session.status).toBe(201);
    const qr = await call(`${gw}/sessions/demo/qr?format=raw&wait=30`);
    expect((await call(`${sim}/pairing/qr`, { body: { phoneNumber: '6281111111111', qr: qr.body.qr }, admin: false })).status).toBe(200);
    await eventually(async () => ((await call(`${gw}/sessions/demo`)).body.status === 'connected' ? true : undefined), 20_000, 'linked');

    const sent = await call(`${gw}/agents/demo/messages`, { body: { to: '081222222222', message: 'Halo!' } });
    expect(sent.status).toBe(201);
    const atContact = await call(`${sim}/messages/sent?to=6281222222222`, { admin: false });
    expect(atContact.body.map((message: { text: string }) => message.text)).toEqual(['Halo!']);

    expect((await call(`${gw}/allowed-numbers`, { body: { whatsappNumber: '6281111111111' } })).status).toBe(201);
    await call(`${sim}/messages/inbound`, { body: { from: '6281222222222', to: '6281111111111', text: 'Hai juga' }, admin: false });
    const history = await eventually(
      async () => {
        const chat = await call(`${gw}/sessions/demo/chats/6281222222222@s.whatsapp.net/messages`);
        return chat.body.messages?.some((message: { text: string }) => message.text === 'Hai juga') ? chat.body.messages : undefined;
      },
      20_000,
      'received message in the history',
    );
    // Only what came after the number was allowed is kept (seed 002's gate): "Halo!" went out before.
    expect(history.map((message: { text: string }) => message.text)).toEqual(['Hai juga']);
  }, 120_000);

  it("prints one readable line per event, prefixed with the app's name", async () => {
    await fetch(`${gw}/sessions/demo`, { headers: { 'x-api-key': key, 'x-request-id': 'sandbox-trace-0001' } });
    const line = await sandbox.launcher.waitForOutput(/^\[gateway\] .*sandbox-trace-0001/);
    expect(line).toMatch(/^\[gateway\] \[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: GET \/sessions\/demo 200 \(\d+ ms\) \{"traceId":"sandbox-trace-0001"\}$/);
    const appLines = sandbox.launcher.output.filter((candidate) => /^\[(gateway|worker-1|agent-runner|scheduler)\] /.test(candidate));
    expect(appLines.length).toBeGreaterThan(10);
    expect(appLines.filter((candidate) => /^\[[\w-]+\] \{/.test(candidate))).toEqual([]);
  });

  it('lets a browser app on the local dev origin call the API (CORS)', async () => {
    const preflight = await fetch(`${gw}/sessions`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-api-key' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });
});
