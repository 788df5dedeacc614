import Redis from 'ioredis';
import { redisFaultOf } from './redis-faults';

/** Real ioredis clients failing the ways they do while Redis is down. */
describe('redisFaultOf', () => {
  const failureOf = (work: Promise<unknown>): Promise<unknown> =>
    work.then(
      () => new Error('command succeeded'),
      (error: unknown) => error,
    );

  it('answers a command given up while Redis refuses connections with 503 naming Redis', async () => {
    const client = new Redis({ host: '127.0.0.1', port: 1, maxRetriesPerRequest: 0, retryStrategy: (times) => (times > 2 ? null : 10), connectTimeout: 500 });
    client.on('error', () => undefined);
    try {
      expect(redisFaultOf(await failureOf(client.get('k')))).toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        httpStatus: 503,
        details: { dependency: 'redis', retryAfterSeconds: 2 },
      });
    } finally {
      client.disconnect();
    }
  });

  it('answers a command on a closed connection with 503', async () => {
    const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { enableOfflineQueue: false, lazyConnect: true });
    expect(redisFaultOf(await failureOf(client.get('k')))).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    client.disconnect();
  });

  it('leaves other errors alone', () => {
    expect(redisFaultOf(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBeUndefined();
    expect(redisFaultOf({ message: 'Connection is closed.' })).toBeUndefined();
  });
});
