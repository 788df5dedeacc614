import type { INestApplication } from '@nestjs/common';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { redisKeys, type LiveEvent } from '@app/contracts';
import { LiveEventPublisher } from '@app/redis';
import { AuthFixtures, type Tenant } from '../../../../test/support/auth-fixtures';
import { DbFixtures } from '../../../../test/support/db-fixtures';
import { createGatewayApp } from '../../../../test/support/gateway-app';
import { sampleLiveEvents as sample } from '../../../../test/support/live-event-samples';
import { SseRecorder } from '../../../../test/support/sse-recorder';
import { isolatedPrefix, requiredEnv, TEST_ADMIN_API_KEY } from '../../../../test/support/test-env';

const TICKET_TTL_MS = 1_000;
const CLIENT_BUFFER_BYTES = 65_536;

describe('GET /events (live events over SSE) and POST /events/tickets', () => {
  const db = new DbFixtures();
  const prefix = isolatedPrefix('events');
  const redis = new Redis(requiredEnv('REDIS_URL'));
  let app: INestApplication;
  let baseUrl: string;
  let publisher: LiveEventPublisher;
  let owner: Tenant;
  let other: Tenant;

  const eventsUrl = (query = '') => `${baseUrl}/events${query}`;
  const asOwner = () => ({ 'x-api-key': owner.apiKey.key });
  const publish = (...events: LiveEvent[]) => publisher.publish(events);
  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    return Number(new RegExp(`^${name}(?:{[^}]*})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  };

  beforeAll(async () => {
    app = await createGatewayApp({
      REDIS_PREFIX: prefix,
      LIVE_EVENTS_TICKET_TTL_MS: String(TICKET_TTL_MS),
      LIVE_EVENTS_KEEPALIVE_MS: '1000',
      LIVE_EVENTS_CLIENT_BUFFER_BYTES: String(CLIENT_BUFFER_BYTES),
    });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    publisher = app.get(LiveEventPublisher);
    const auth = new AuthFixtures(app, db);
    [owner, other] = await Promise.all([auth.tenant('user'), auth.tenant('user')]);
  });

  afterAll(async () => {
    await app.close();
    redis.disconnect();
    await db.close();
  });

  it("streams the owner's events in order with their ids, framed as the webhooks' bodies, filtered by session and event", async () => {
    const all = await SseRecorder.ready(eventsUrl(), asOwner());
    const onlyQr = await SseRecorder.ready(eventsUrl(`?sessionId=${owner.session.id}&event=session.qr`), asOwner());
    expect(all.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(all.headers.get('cache-control')).toBe('no-cache, no-transform');

    const sent = [
      sample.status(owner.session.id, owner.user.id, 'connecting'),
      sample.qr(owner.session.id, '2@first'),
      sample.status(owner.session.id, owner.user.id, 'awaiting_qr', 'connecting'),
      sample.qr(owner.session.id, '2@second'),
      sample.received(owner.session.id, 'halo'),
      sample.receipt(owner.session.id, owner.message.id, 'delivered'),
      sample.receipt(owner.session.id, owner.message.id, 'read'),
    ];
    await publish(...sent.slice(0, 3));
    await publish(...sent.slice(3));
    await all.waitFor(() => all.events().length === sent.length, 10_000, 'all events');
    await onlyQr.waitFor(() => onlyQr.events().length === 2, 10_000, 'the QR events');

    expect(all.events().map(({ streamId: _id, ...event }) => event)).toEqual(sent);
    const ids = all.events().map((event) => event.streamId);
    expect(ids.every((id) => /^\d+-\d+$/.test(id))).toBe(true);
    expect([...ids].sort(compareIds)).toEqual(ids);
    expect(onlyQr.events().map((event) => event.data)).toEqual([
      expect.objectContaining({ kind: 'qr', qr: '2@first' }),
      expect.objectContaining({ kind: 'qr', qr: '2@second' }),
    ]);
    all.close();
    onlyQr.close();
  });

  it('replays what a dropped client missed after Last-Event-ID, then goes on live, without repeating anything', async () => {
    const first = await SseRecorder.ready(eventsUrl(), asOwner());
    await publish(sample.received(owner.session.id, 'one'));
    await first.waitFor(() => first.events().length === 1, 10_000, 'event one');
    first.close();
    const resumeFrom = first.lastEventId!;

    await publish(sample.received(owner.session.id, 'two'), sample.received(other.session.id, 'not yours'), sample.received(owner.session.id, 'three'));
    const resumed = await SseRecorder.ready(eventsUrl(), { ...asOwner(), 'last-event-id': resumeFrom });
    await publish(sample.received(owner.session.id, 'four'));
    await resumed.waitFor(() => resumed.events().length === 3, 10_000, 'the missed events and the new one');
    await sleep(200);
    expect(resumed.events().map((event) => (event.data as { text: string }).text)).toEqual(['two', 'three', 'four']);
    // stream.ready comes between the replay and the live events.
    expect(resumed.messages.map((message) => message.event)).toEqual(['message.received', 'message.received', 'stream.ready', 'message.received']);

    const byQuery = await SseRecorder.ready(eventsUrl(`?lastEventId=${resumeFrom}`), asOwner());
    expect(byQuery.events().map((event) => (event.data as { text: string }).text)).toEqual(['two', 'three', 'four']);
    resumed.close();
    byQuery.close();
  });

  it('gives a fresh stream a resume point, so a reconnect before the first event misses nothing', async () => {
    const fresh = await SseRecorder.ready(eventsUrl(), asOwner());
    fresh.close();
    await publish(sample.received(owner.session.id, 'while away'));
    const back = await SseRecorder.ready(eventsUrl(), { ...asOwner(), 'last-event-id': fresh.lastEventId! });
    expect(back.events().map((event) => (event.data as { text: string }).text)).toEqual(['while away']);
    back.close();
  });

  it('starts a new client at the moment it connects, also after events nobody followed', async () => {
    const before = await SseRecorder.ready(eventsUrl(), asOwner());
    before.close();
    // No client: this gateway stops reading the stream, and these go by unread.
    await sleep(300);
    await publish(sample.received(owner.session.id, 'unfollowed'));
    const late = await SseRecorder.ready(eventsUrl(), asOwner());
    await publish(sample.received(owner.session.id, 'followed'));
    await late.waitFor(() => late.events().length === 1, 10_000, 'the event after connecting');
    await sleep(200);
    expect(late.events().map((event) => (event.data as { text: string }).text)).toEqual(['followed']);
    const resumed = await SseRecorder.ready(eventsUrl(), { ...asOwner(), 'last-event-id': before.lastEventId! });
    expect(resumed.events().map((event) => (event.data as { text: string }).text)).toEqual(['unfollowed', 'followed']);
    late.close();
    resumed.close();
  });

  it('announces events lost to the retention with one stream.gap, then carries on', async () => {
    const key = redisKeys.liveEvents(prefix);
    const watcher = await SseRecorder.ready(eventsUrl(), asOwner());
    await publish(sample.received(owner.session.id, 'old'));
    await watcher.waitFor(() => watcher.events().length === 1, 10_000, 'the old event');
    watcher.close();
    await publish(sample.received(owner.session.id, 'trimmed'));
    await redis.xtrim(key, 'MAXLEN', 0);
    await publish(sample.received(owner.session.id, 'kept'));

    const resumed = await SseRecorder.ready(eventsUrl(), { ...asOwner(), 'last-event-id': watcher.lastEventId! });
    expect(resumed.messages.map((message) => message.event)).toEqual(['stream.gap', 'message.received', 'stream.ready']);
    expect(JSON.parse(resumed.messages[0].data)).toEqual({ lastEventId: watcher.lastEventId });
    expect(resumed.events().map((event) => (event.data as { text: string }).text)).toEqual(['kept']);

    // An id the stream never issued is a gap too, and the stream goes on from now.
    const unknown = await SseRecorder.ready(eventsUrl(), { ...asOwner(), 'last-event-id': '99999999999999-0' });
    expect(unknown.messages.map((message) => message.event)).toEqual(['stream.gap', 'stream.ready']);
    await publish(sample.received(owner.session.id, 'after'));
    await unknown.waitFor(() => unknown.events().length === 1, 10_000, 'the next event');
    resumed.close();
    unknown.close();
  });

  it('sends keep-alive comments on an idle stream', async () => {
    const idle = await SseRecorder.ready(eventsUrl(`?sessionId=${owner.session.id}&event=job.progress`), asOwner());
    await idle.waitFor(() => idle.comments.length > 0, 5_000, 'a keep-alive comment');
    expect(idle.comments[0]).toBe('keep-alive');
    idle.close();
  });

  it('refuses bad filters and ids with 400, and sessions of other tenants with 404', async () => {
    const badEvent = await SseRecorder.open(eventsUrl('?event=session.qr,nope'), asOwner());
    expect(badEvent.status).toBe(400);
    expect(badEvent.body).toMatchObject({ error: { code: 'INVALID_PAYLOAD' } });
    const badId = await SseRecorder.open(eventsUrl(), { ...asOwner(), 'last-event-id': 'yesterday' });
    expect(badId.status).toBe(400);
    expect(badId.body).toMatchObject({ error: { code: 'INVALID_PAYLOAD', message: expect.stringContaining('Last-Event-ID') } });
    const foreign = await SseRecorder.open(eventsUrl(`?sessionId=${owner.session.id},${other.session.id}`), asOwner());
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ error: { code: 'SESSION_NOT_FOUND', message: expect.stringContaining(other.session.id) } });
    const missing = await SseRecorder.open(eventsUrl('?sessionId=no-such-session'), { 'x-api-key': TEST_ADMIN_API_KEY });
    expect(missing.status).toBe(404);
  });

  describe('tickets', () => {
    const ticketFor = async (headers: Record<string, string>) => {
      const response = await fetch(`${baseUrl}/events/tickets`, { method: 'POST', headers });
      expect(response.status).toBe(201);
      return (await response.json()) as { ticket: string; expiresAt: string };
    };

    it('opens the stream once, as the user who asked for it', async () => {
      const { ticket, expiresAt } = await ticketFor(asOwner());
      expect(ticket).toMatch(/^wgt_/);
      expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(TICKET_TTL_MS);
      const stream = await SseRecorder.ready(eventsUrl(`?ticket=${encodeURIComponent(ticket)}`));
      await publish(sample.received(other.session.id, 'not yours'), sample.received(owner.session.id, 'yours'));
      await stream.waitFor(() => stream.events().length === 1, 10_000, "the owner's event");
      await sleep(200);
      expect(stream.events().map((event) => event.sessionId)).toEqual([owner.session.id]);

      const again = await SseRecorder.open(eventsUrl(`?ticket=${encodeURIComponent(ticket)}`));
      expect(again.status).toBe(401);
      expect(again.body).toMatchObject({ error: { code: 'UNAUTHORIZED', message: expect.stringContaining('ticket') } });
      stream.close();
    });

    it('expires unused after LIVE_EVENTS_TICKET_TTL_MS', async () => {
      const { ticket } = await ticketFor(asOwner());
      await sleep(TICKET_TTL_MS + 300);
      const late = await SseRecorder.open(eventsUrl(`?ticket=${encodeURIComponent(ticket)}`));
      expect(late.status).toBe(401);
    });

    it('is only accepted on the event stream', async () => {
      const { ticket } = await ticketFor(asOwner());
      const elsewhere = await fetch(`${baseUrl}/sessions?ticket=${encodeURIComponent(ticket)}`);
      expect(elsewhere.status).toBe(401);
      const stream = await SseRecorder.open(eventsUrl(`?ticket=${encodeURIComponent(ticket)}`));
      expect(stream.status).toBe(200);
      stream.close();
    });
  });

  it('drops a client that stops reading once it is LIVE_EVENTS_CLIENT_BUFFER_BYTES behind; others keep everything, and its reconnect catches up', async () => {
    const droppedBefore = await metric('live_event_clients_dropped_total');
    const reader = await SseRecorder.ready(eventsUrl(`?sessionId=${owner.session.id}`), asOwner());
    const stalled = await StalledClient.open(eventsUrl(`?sessionId=${owner.session.id}`), asOwner());
    const filler = 'x'.repeat(16_000);
    // Small batches the reading client takes in before the next, until the stalled one's socket
    // buffers (both ends) are full and the gateway's own buffer for it passes the budget.
    let total = 0;
    while ((await metric('live_event_clients_dropped_total')) === droppedBefore) {
      if (total >= 3_000) throw new Error(`the stalled client was not dropped after ${total} events`);
      await publish(...Array.from({ length: 3 }, (_, index) => sample.received(owner.session.id, `${total + index} ${filler}`)));
      total += 3;
      await reader.waitFor(() => reader.events().length === total, 10_000, `event ${total} for the reading client`);
    }
    await sleep(200);
    expect(reader.events()).toHaveLength(total);
    expect(reader.isEnded).toBe(false);

    const received = await stalled.readToEnd();
    expect(received.length).toBeLessThan(total);
    const resumed = await SseRecorder.ready(eventsUrl(`?sessionId=${owner.session.id}`), {
      ...asOwner(),
      'last-event-id': received[received.length - 1]?.id ?? '0-0',
    });
    const texts = [
      ...received.map((message) => JSON.parse(message.data).data.text as string),
      ...resumed.events().map((event) => (event.data as { text: string }).text),
    ];
    expect(texts.map((text) => Number(text.split(' ')[0]))).toEqual([...Array(total).keys()]);
    reader.close();
    resumed.close();
  }, 90_000);
});

function compareIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(Number) as [number, number];
  const [bMs, bSeq] = b.split('-').map(Number) as [number, number];
  return aMs - bMs || aSeq - bSeq;
}

/** A client that connects and then reads nothing until told to (a stalled browser tab). */
class StalledClient {
  private constructor(private readonly response: IncomingMessage) {}

  static open(url: string, headers: Record<string, string>): Promise<StalledClient> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
        response.pause();
        resolve(new StalledClient(response));
      });
      request.on('error', reject);
      request.end();
    });
  }

  /** Reads what the gateway had sent before it dropped the connection. */
  readToEnd(): Promise<EventSourceMessage[]> {
    const messages: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (message) => message.event === 'message.received' && messages.push(message) });
    return new Promise((resolve) => {
      this.response.setEncoding('utf8');
      this.response.on('data', (chunk: string) => parser.feed(chunk));
      this.response.on('close', () => resolve(messages));
      this.response.on('error', () => undefined);
      this.response.resume();
    });
  }
}
