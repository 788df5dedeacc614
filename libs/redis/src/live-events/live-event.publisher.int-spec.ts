import { CoreConfig, loadConfig } from '@app/config';
import { LIVE_EVENT_STREAM_FIELDS as FIELDS, redisKeys } from '@app/contracts';
import { sampleLiveEvents as sample } from '../../../../test/support/live-event-samples';
import { baseTestEnv, isolatedPrefix } from '../../../../test/support/test-env';
import { RedisClient } from '../redis-client';
import { redisOptionsFromUrl } from '../redis-options';
import { LiveEventPublisher } from './live-event.publisher';

describe('LiveEventPublisher (Redis stream)', () => {
  const clients: RedisClient[] = [];
  const publisherFor = (env: Record<string, string> = {}) => {
    const config = loadConfig(CoreConfig, baseTestEnv({ REDIS_PREFIX: isolatedPrefix('live'), ...env }));
    const redis = new RedisClient(redisOptionsFromUrl(config.REDIS_URL));
    clients.push(redis);
    return { publisher: new LiveEventPublisher(redis, config), redis, key: redisKeys.liveEvents(config.REDIS_PREFIX) };
  };

  afterAll(() => clients.forEach((client) => client.disconnect()));

  it('appends a batch in order, each entry carrying its name, session and the whole envelope', async () => {
    const { publisher, redis, key } = publisherFor();
    const batch = [sample.status('s-1', 'u-1', 'connecting'), sample.qr('s-1', '2@abc'), sample.received('s-2', 'halo')];
    await publisher.publish(batch);
    const entries = await redis.xrange(key, '-', '+');
    expect(entries).toHaveLength(3);
    expect(entries.map(([, fields]) => fields)).toEqual(
      batch.map((event) => [FIELDS.event, event.event, FIELDS.sessionId, event.sessionId, FIELDS.body, JSON.stringify(event)]),
    );
  });

  it('keeps the stream near LIVE_EVENTS_MAX_LEN however many events come', async () => {
    const { publisher, redis, key } = publisherFor({ LIVE_EVENTS_MAX_LEN: '100' });
    for (let round = 0; round < 10; round += 1) {
      await publisher.publish(Array.from({ length: 100 }, (_, index) => sample.received('s-1', `${round}-${index}`)));
    }
    const length = await redis.xlen(key);
    // `~` trims whole radix-tree nodes (100 entries each by default): never below the cap, at most a node above it.
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThanOrEqual(200);
    const [[, newest]] = (await redis.xrevrange(key, '+', '-', 'COUNT', 1)) as [[string, string[]]];
    expect(JSON.parse(newest[5]).data.text).toBe('9-99');
  });

  it('trims events older than LIVE_EVENTS_RETENTION_MS', async () => {
    const { publisher, redis, key } = publisherFor({ LIVE_EVENTS_RETENTION_MS: '1000' });
    // Old enough entries to fill whole nodes, which is what MINID ~ can drop.
    await redis.xadd(key, '1000-0', FIELDS.event, 'message.received', FIELDS.sessionId, 's-1', FIELDS.body, '{}');
    const pipeline = redis.pipeline();
    for (let index = 1; index < 300; index += 1)
      pipeline.xadd(key, `1000-${index}`, FIELDS.event, 'message.received', FIELDS.sessionId, 's-1', FIELDS.body, '{}');
    await pipeline.exec();
    await publisher.publish([sample.received('s-1', 'fresh')]);
    const remaining = await redis.xrange(key, '-', '+');
    expect(remaining.length).toBeLessThan(300);
    expect(JSON.parse(remaining[remaining.length - 1][1][5]).data.text).toBe('fresh');
  });

  it('never fails its caller: a failed append is dropped (live events sit beside the durable record)', async () => {
    const { publisher, redis, key } = publisherFor();
    await redis.set(key, 'not a stream');
    await expect(publisher.publish([sample.received('s-1', 'lost')])).resolves.toBeUndefined();
    await redis.del(key);
    await publisher.messageReceived(JSON.parse(JSON.stringify(sample.received('s-1', 'kept').data)));
    expect(await redis.xlen(key)).toBe(1);
  });
});
