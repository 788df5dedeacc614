import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { EventSource } from 'undici';
import type { LiveEvent } from '@app/contracts';
import { LiveEventPublisher } from '@app/redis';
import { AuthFixtures, type Tenant } from '../../../test/support/auth-fixtures';
import { DbFixtures } from '../../../test/support/db-fixtures';
import { createGatewayApp } from '../../../test/support/gateway-app';
import { sampleLiveEvents as sample } from '../../../test/support/live-event-samples';
import { eventually } from '../../../test/support/suite-harness';
import { isolatedPrefix } from '../../../test/support/test-env';
import { createGatewayClient } from './gateway-client';
import { openLiveEvents } from './live-events.browser';
import { LiveEventStreamError, streamLiveEvents } from './live-events.stream';

describe("the client's live-event helpers against a gateway", () => {
  const db = new DbFixtures();
  let app: INestApplication;
  let baseUrl: string;
  let owner: Tenant;
  const publish = (...events: LiveEvent[]) => app.get(LiveEventPublisher).publish(events);
  const texts = (events: LiveEvent[]) => events.map((event) => (event.data as { text: string }).text);

  beforeAll(async () => {
    app = await createGatewayApp({ REDIS_PREFIX: isolatedPrefix('client') });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    owner = await new AuthFixtures(app, db).tenant('user');
  });

  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('openLiveEvents (EventSource) reconnects with a fresh ticket after the connection breaks, and misses nothing', async () => {
    const api = createGatewayClient({ baseUrl, apiKey: owner.apiKey.key });
    let tickets = 0;
    const received: LiveEvent[] = [];
    const errors: unknown[] = [];
    const live = openLiveEvents({
      baseUrl,
      EventSource,
      sessionIds: [owner.session.id],
      reconnectDelayMs: 100,
      onError: (error) => errors.push(error),
      getTicket: async () => {
        tickets += 1;
        return (await api.POST('/events/tickets')).data!.ticket;
      },
    });
    let readies = 0;
    live.on('message.received', (event) => received.push(event)).onReady(() => (readies += 1));
    await eventually(async () => (readies === 1 ? true : undefined), 10_000, 'connected');

    await publish(sample.received(owner.session.id, 'one'));
    await eventually(async () => (received.length === 1 ? true : undefined), 10_000, 'event one');
    (app.getHttpServer() as Server).closeAllConnections();
    await publish(sample.received(owner.session.id, 'two'), sample.received(owner.session.id, 'three'));
    await eventually(async () => (received.length === 3 ? true : undefined), 10_000, 'the events sent while it was away');
    await publish(sample.received(owner.session.id, 'four'));
    await eventually(async () => (received.length === 4 ? true : undefined), 10_000, 'event four');
    live.close();

    expect(texts(received)).toEqual(['one', 'two', 'three', 'four']);
    expect(tickets).toBe(2);
    expect(errors).toHaveLength(1);
    expect(readies).toBe(2);
  });

  it('streamLiveEvents ends with LiveEventStreamError when the gateway refuses the stream', async () => {
    const refused = streamLiveEvents({ baseUrl, apiKey: owner.apiKey.key, sessionIds: ['someone-elses'] });
    await expect(refused.next()).rejects.toMatchObject({ name: LiveEventStreamError.name, status: 404, body: { error: { code: 'SESSION_NOT_FOUND' } } });
  });
});
