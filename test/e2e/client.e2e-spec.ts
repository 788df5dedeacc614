import { randomUUID } from 'node:crypto';
import { EventSource } from 'undici';
import { createGatewayClient, openLiveEvents, streamLiveEvents, type LiveEvent, type LiveStreamMessage } from '@app/client';
import { eventually, SuiteHarness } from '../support/suite-harness';
import { RECEIPT_SEQUENCES } from '../support/live-event-samples';

/**
 * The typed client (libs/client) against the running suite, as a frontend would use it: log in,
 * create a session, follow its QR over live events until a simulated phone scans it, send a
 * text and watch its delivery status reach `read`. The browser helper (EventSource + tickets)
 * follows the same session alongside.
 */
describe('the typed client against the running suite', () => {
  const suite = new SuiteHarness({ workers: 1 });
  const email = `${randomUUID()}@client.test`;
  const password = 'a long passphrase';
  const sessionId = `client-${randomUUID().slice(0, 6)}`;
  let userId: string;

  beforeAll(async () => {
    await suite.start();
    userId = (await suite.api.post('/users', { email, password, name: 'Frontend dev' })).body.id;
  }, 120_000);

  afterAll(() => suite.stop());

  it('creates a session, follows its QR until a phone scans it, sends a text and sees it read', async () => {
    const baseUrl = suite.api.baseUrl;
    const login = await createGatewayClient({ baseUrl }).POST('/auth/login', { body: { email, password } });
    expect(login.error).toBeUndefined();
    const api = createGatewayClient({ baseUrl, token: login.data!.accessToken });

    // Typed over fetch (Node, workers) and over EventSource with tickets (browsers), side by side.
    const abort = new AbortController();
    const fetched: LiveStreamMessage[] = [];
    const following = (async () => {
      for await (const message of streamLiveEvents({ baseUrl, token: login.data!.accessToken, signal: abort.signal })) fetched.push(message);
    })();
    const fromBrowser: LiveEvent[] = [];
    const browser = openLiveEvents({
      baseUrl,
      EventSource,
      getTicket: async () => (await api.POST('/events/tickets')).data!.ticket,
    });
    browser
      .on('session.qr', (event) => fromBrowser.push(event))
      .on('session.status', (event) => fromBrowser.push(event))
      .on('message.status', (event) => fromBrowser.push(event));
    const events = () => fetched.flatMap((message) => (message.kind === 'event' ? [message.event] : []));
    await eventually(async () => (fetched.some((message) => message.kind === 'ready') ? true : undefined), 10_000, 'the stream is ready');
    await eventually(async () => (browser.lastEventId ? true : undefined), 10_000, 'the browser stream is ready');

    const created = await api.POST('/sessions', { body: { agentId: sessionId, agentName: 'From the client', waitForQr: false } });
    expect(created.data).toMatchObject({ id: sessionId, ownerId: userId });

    const qr = await eventually(
      async () => {
        const event = events().find((candidate): candidate is LiveEvent<'session.qr'> => candidate.event === 'session.qr' && candidate.sessionId === sessionId);
        return event?.data.qr ?? undefined;
      },
      20_000,
      'a QR over live events',
    );
    const phone = suite.newPhone();
    await suite.sim.client.createAccount(phone);
    await suite.sim.client.scanQr(phone, qr);
    await eventually(
      async () => (events().some((event) => event.event === 'session.status' && event.data.status === 'connected') ? true : undefined),
      20_000,
      'connected',
    );

    const contact = await suite.newContact('Ani');
    const sent = await api.POST('/agents/{id}/messages', { params: { path: { id: sessionId } }, body: { to: contact, message: 'Halo dari klien' } });
    expect(sent.error).toBeUndefined();
    const outboundId = sent.data!.messageId;
    const statuses = () => events().flatMap((event) => (event.event === 'message.status' && event.data.outboundId === outboundId ? [event.data.status] : []));
    await eventually(async () => (statuses().includes('read') ? true : undefined), 15_000, 'read');
    expect(RECEIPT_SEQUENCES).toContainEqual(statuses());

    await eventually(
      async () => (fromBrowser.length === events().filter((event) => event.event !== 'message.received').length ? true : undefined),
      10_000,
      'the browser caught up',
    );
    expect(fromBrowser).toEqual(events().filter((event) => event.event !== 'message.received'));
    const status = await api.GET('/sessions/{id}/messages/{messageId}', { params: { path: { id: sessionId, messageId: outboundId } } });
    expect(status.data).toMatchObject({ status: 'read' });
    browser.close();
    abort.abort();
    await following;
  });

  it('answers errors in the envelope, typed', async () => {
    const api = createGatewayClient({ baseUrl: suite.api.baseUrl, apiKey: 'wgk_not-a-key' });
    const refused = await api.GET('/sessions');
    expect(refused.data).toBeUndefined();
    expect(refused.error).toMatchObject({ error: { code: 'UNAUTHORIZED', traceId: expect.any(String) } });
  });
});
