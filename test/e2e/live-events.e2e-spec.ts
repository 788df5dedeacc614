import { randomUUID } from 'node:crypto';
import type { LiveEvent } from '@app/contracts';
import { streamLiveEvents, type LiveStreamMessage } from '@app/client';
import { RECEIPT_SEQUENCES } from '../support/live-event-samples';
import { SseRecorder } from '../support/sse-recorder';
import { eventually, SuiteHarness, type ApiClient } from '../support/suite-harness';

/**
 * Live events end to end: real workers publish (QR rotation, status, receipts, received
 * messages), the scheduler publishes bulk-job progress, two gateway replicas serve the stream.
 */
describe('live events from the running suite (GET /events)', () => {
  // Short QR lifetimes so the QR rotates within the test (Baileys' own: 60 s, then 20 s).
  const suite = new SuiteHarness({ workers: 1, scheduler: true, env: { WA_QR_TIMEOUT_MS: '2000' } });
  let replica: ApiClient;
  let owner: { id: string; key: string };
  let stranger: { id: string; key: string };
  let contact: string;
  const sessionId = `live-${randomUUID().slice(0, 6)}`;

  const newTenant = async (): Promise<{ id: string; key: string }> => {
    const user = await suite.api.post('/users', { email: `${randomUUID()}@live.test`, password: 'a long passphrase', name: 'Live' });
    const key = await suite.api.post(`/users/${user.body.id}/api-keys`, { name: 'live' });
    return { id: user.body.id, key: key.body.key };
  };
  const streamOf = (tenant: { key: string }, api: ApiClient = suite.api, headers: Record<string, string> = {}) =>
    SseRecorder.ready(`${api.baseUrl}/events`, { 'x-api-key': tenant.key, ...headers });
  const statusesOf = (stream: SseRecorder, outboundId: string) =>
    stream
      .events('message.status')
      .filter((event) => event.data.outboundId === outboundId)
      .map((event) => event.data.status);
  const send = async (text: string, api: ApiClient = suite.api) => {
    const response = await api.post(`/agents/${sessionId}/messages`, { to: contact, message: text });
    expect(response.status).toBe(201);
    return response.body.messageId as string;
  };
  const readOnPhone = (messageId: string, api: ApiClient = suite.api) =>
    eventually(
      async () => ((await api.get(`/sessions/${sessionId}/messages/${messageId}`)).body.status === 'read' ? true : undefined),
      15_000,
      `message ${messageId} read`,
    );

  beforeAll(async () => {
    await suite.start();
    ({ api: replica } = await suite.startGatewayReplica());
    [owner, stranger] = await Promise.all([newTenant(), newTenant()]);
    contact = await suite.newContact('Sari');
  }, 120_000);

  afterAll(() => suite.stop());

  it('follows a new session to connected: its statuses and every rotating QR, in order, for the owner and never for another tenant', async () => {
    const [ownerStream, strangerStream, ownerOnReplica] = await Promise.all([streamOf(owner), streamOf(stranger), streamOf(owner, replica)]);
    const phone = suite.newPhone();
    await suite.sim.client.createAccount(phone);
    expect((await suite.api.post('/sessions', { agentId: sessionId, agentName: 'Live', ownerId: owner.id, waitForQr: false })).status).toBe(201);

    await ownerStream.waitFor(() => ownerStream.events('session.qr').length >= 2, 20_000, 'a rotated QR');
    const qrs = ownerStream.events('session.qr').map((event) => event.data);
    expect(new Set(qrs.map((qr) => qr.qr)).size).toBe(qrs.length);
    expect(qrs.every((qr) => qr.kind === 'qr' && qr.sessionId === sessionId)).toBe(true);
    await suite.sim.client.scanQr(phone, qrs[qrs.length - 1].qr!);
    await ownerStream.waitFor(() => ownerStream.events('session.status').some((event) => event.data.status === 'connected'), 20_000, 'connected');

    expect(ownerStream.events('session.status').map((event) => event.data.status)).toEqual(['connecting', 'awaiting_qr', 'connecting', 'connected']);
    expect(ownerStream.events('session.status').at(-1)!.data).toMatchObject({ sessionId, userId: owner.id, phone, previousStatus: 'connecting' });
    const ids = ownerStream.messages.filter((message) => message.id).map((message) => message.id!);
    expect(ids).toEqual([...new Set(ids)]);
    // The other replica served the same events, in the same order, with the same ids.
    await ownerOnReplica.waitFor(() => ownerOnReplica.events().length === ownerStream.events().length, 10_000, "the replica's copy");
    expect(ownerOnReplica.events()).toEqual(ownerStream.events());
    expect(strangerStream.events()).toEqual([]);
    [ownerStream, strangerStream, ownerOnReplica].forEach((stream) => stream.close());
  });

  it('shows a requested pairing code', async () => {
    const pairing = `pair-${randomUUID().slice(0, 6)}`;
    const stream = await streamOf(owner);
    await suite.api.post('/sessions', { agentId: pairing, agentName: 'Pairing', ownerId: owner.id, waitForQr: false });
    const requested = await suite.api.post(`/sessions/${pairing}/pairing-code`, { phone: suite.newPhone() });
    expect(requested.status).toBe(200);
    await stream.waitFor(() => stream.events('session.qr').some((event) => event.data.kind === 'pairing_code'), 10_000, 'the pairing code');
    const code = stream.events('session.qr').find((event) => event.data.kind === 'pairing_code')!;
    expect(code).toMatchObject({ sessionId: pairing, data: { pairingCode: requested.body.code, qr: null } });
    await suite.api.delete(`/sessions/${pairing}`);
    stream.close();
  });

  it('delivers received messages and every receipt of a sent one in order', async () => {
    const stream = await streamOf(owner);
    const messageId = await send('halo, live');
    await suite.sim.client.sendInbound({ from: contact, to: (await suite.api.get(`/sessions/${sessionId}`)).body.phone, text: 'balas' });
    await stream.waitFor(() => statusesOf(stream, messageId).includes('read') && stream.events('message.received').length === 1, 15_000, 'read and received');
    expect(RECEIPT_SEQUENCES).toContainEqual(statusesOf(stream, messageId));
    expect(stream.events('message.received')[0].data).toMatchObject({ sessionId, text: 'balas', kind: 'text', senderPhone: contact });
    stream.close();
  });

  it('reports bulk-job progress until the job is done', async () => {
    const stream = await SseRecorder.ready(`${suite.api.baseUrl}/events?event=job.progress`, { 'x-api-key': owner.key });
    const job = await suite.api.post(`/sessions/${sessionId}/jobs`, {
      messages: [
        { to: contact, message: 'one' },
        { to: contact, message: 'two' },
      ],
      delay: 0,
    });
    expect(job.status).toBe(202);
    await stream.waitFor(() => stream.events('job.progress').some((event) => event.data.status === 'completed'), 30_000, 'the job completed');
    expect(stream.events('job.progress').map((event) => [event.data.currentIndex, event.data.status])).toEqual([
      [1, 'processing'],
      [2, 'processing'],
      [2, 'completed'],
    ]);
    expect(stream.events().every((event) => event.event === 'job.progress')).toBe(true);
    stream.close();
  });

  it('replays everything missed after a dropped connection (Last-Event-ID), nothing twice', async () => {
    const first = await streamOf(owner);
    const before = await send('before the drop');
    await first.waitFor(() => statusesOf(first, before).includes('read'), 15_000, 'first read');
    first.close();

    const during = await send('while away');
    await readOnPhone(during);
    const resumed = await streamOf(owner, replica, { 'last-event-id': first.lastEventId! });
    expect(statusesOf(resumed, before)).toEqual([]);
    expect(RECEIPT_SEQUENCES).toContainEqual(statusesOf(resumed, during));
    resumed.close();
  });

  it('keeps flowing when the replica a client is connected to dies: it reconnects to another and misses nothing', async () => {
    const abort = new AbortController();
    const received: LiveStreamMessage[] = [];
    const following = (async () => {
      const baseUrls = [suite.api.baseUrl, replica.baseUrl];
      for await (const message of streamLiveEvents({
        baseUrl: baseUrls[0],
        apiKey: owner.key,
        events: ['message.status'],
        signal: abort.signal,
        reconnectDelayMs: 200,
        nextBaseUrl: (attempt) => baseUrls[attempt % 2],
      }))
        received.push(message);
    })();
    const statuses = (messageId: string) =>
      received.flatMap((message) =>
        message.kind === 'event' && (message.event as LiveEvent<'message.status'>).data.outboundId === messageId
          ? [(message.event as LiveEvent<'message.status'>).data.status]
          : [],
      );
    await eventually(async () => (received.some((message) => message.kind === 'ready') ? true : undefined), 10_000, 'stream ready');

    const first = await send('to replica one', replica);
    await eventually(async () => (statuses(first).includes('read') ? true : undefined), 15_000, 'first read');
    await suite.gateway.stop('SIGKILL');
    const second = await send('while it is gone', replica);
    await readOnPhone(second, replica);
    const third = await send('after the move', replica);
    await eventually(async () => (statuses(third).includes('read') ? true : undefined), 20_000, 'events from the other replica');
    abort.abort();
    await following;

    for (const messageId of [first, second, third]) expect(RECEIPT_SEQUENCES).toContainEqual(statuses(messageId));
    const ids = received.filter((message) => message.kind === 'event').map((message) => message.id);
    expect(ids).toEqual([...new Set(ids)]);
    expect(received.filter((message) => message.kind === 'ready').length).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
