import { Controller, Inject, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { AppConfigModule, CoreConfig, loadConfig } from '@app/config';
import { AppError, WORKER_COMMANDS, workerChannelPrefix, type WorkerInfo } from '@app/contracts';
import { RedisClient, RedisModule } from '@app/redis';
import { firstValueFrom } from 'rxjs';
import { eventually } from '../../../test/support/suite-harness';
import { baseTestEnv, isolatedPrefix } from '../../../test/support/test-env';
import { AddressedRedisServer } from './addressed-redis.server';
import { redisTransportOptions } from './redis-transport-options';
import { RemoteErrorFilter } from './remote-error.filter';
import { ReplyKeepingRedisClient } from './reply-keeping-redis.client';
import { WorkerRpcClient } from './worker-rpc.client';
import { WorkerRpcClientModule } from './worker-rpc-client.module';

const BEHAVIOUR = Symbol('BEHAVIOUR');
type Behaviour = (workerId: string) => WorkerInfo;

@Controller()
class FakeWorkerController {
  constructor(@Inject(BEHAVIOUR) private readonly behaviour: { id: string; run: Behaviour }) {}

  @MessagePattern(WORKER_COMMANDS.describe)
  describe(): WorkerInfo {
    return this.behaviour.run(this.behaviour.id);
  }
}

const info = (id: string): WorkerInfo => ({
  id,
  host: 'test',
  pid: 1,
  sessionsHeld: 0,
  capacity: 1,
  state: 'active',
  movesInFlight: 0,
  startedAt: '',
  heartbeatAt: '',
});

describe('worker transport', () => {
  const config = loadConfig(CoreConfig, baseTestEnv({ REDIS_PREFIX: isolatedPrefix('rpc') }));
  const workers: INestMicroservice[] = [];
  let client: WorkerRpcClient;
  let redis: RedisClient;
  let close: () => Promise<void>;
  const describeChannel = (workerId: string) => `${workerChannelPrefix(config.REDIS_PREFIX, workerId)}${WORKER_COMMANDS.describe}`;
  const replySubscribers = async (workerId: string): Promise<number> => {
    const [, count] = (await redis.pubsub('NUMSUB', `${describeChannel(workerId)}.reply`)) as [string, number];
    return Number(count);
  };

  const startWorker = async (id: string, run: Behaviour) => {
    @Module({ controllers: [FakeWorkerController], providers: [{ provide: BEHAVIOUR, useValue: { id, run } }] })
    class FakeWorkerModule {}
    const worker = await NestFactory.createMicroservice(FakeWorkerModule, {
      strategy: new AddressedRedisServer(redisTransportOptions(config.REDIS_URL), workerChannelPrefix(config.REDIS_PREFIX, id)),
      logger: false,
    });
    worker.useGlobalFilters(new RemoteErrorFilter());
    await worker.listen();
    workers.push(worker);
  };

  beforeAll(async () => {
    await startWorker('w-a', info);
    await startWorker('w-b', info);
    await startWorker('w-refuses', () => {
      throw new AppError('SESSION_NOT_FOUND', 'Session x does not exist', { sessionId: 'x' });
    });
    await startWorker('w-crashes', () => {
      throw new Error('secret internals');
    });
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(CoreConfig, config), RedisModule.forRoot(), WorkerRpcClientModule.forRoot({ timeoutMs: 1_000 })],
    }).compile();
    const app = await moduleRef.init();
    client = app.get(WorkerRpcClient);
    redis = app.get(RedisClient);
    close = () => app.close();
  });

  afterAll(async () => {
    await close();
    await Promise.all(workers.map((worker) => worker.close()));
  });

  it('delivers a command to the addressed worker only', async () => {
    await expect(client.send('w-a', WORKER_COMMANDS.describe, { traceId: 't1' })).resolves.toMatchObject({ id: 'w-a' });
    await expect(client.send('w-b', WORKER_COMMANDS.describe, { traceId: 't2' })).resolves.toMatchObject({ id: 'w-b' });
  });

  it('carries an application error across with its code and details', async () => {
    await expect(client.send('w-refuses', WORKER_COMMANDS.describe, { traceId: 't3' })).rejects.toMatchObject({
      code: 'SESSION_NOT_FOUND',
      message: 'Session x does not exist',
      details: { sessionId: 'x' },
    });
  });

  it('turns an unexpected worker failure into INTERNAL without its message', async () => {
    const failure = client.send('w-crashes', WORKER_COMMANDS.describe, { traceId: 't4' });
    await expect(failure).rejects.toBeInstanceOf(AppError);
    await expect(failure).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(failure).rejects.not.toMatchObject({ message: expect.stringContaining('secret') });
  });

  it('times out with WORKER_TIMEOUT when no worker has that address', async () => {
    await expect(client.send('w-gone', WORKER_COMMANDS.describe, { traceId: 't5' }, 300)).rejects.toMatchObject({ code: 'WORKER_TIMEOUT' });
  });

  it('keeps the reply channel subscribed between requests, so the next one is a single PUBLISH', async () => {
    const settled = () => new Promise((resolve) => setTimeout(resolve, 100)); // time for an UNSUBSCRIBE to land, were one sent
    await expect(client.send('w-a', WORKER_COMMANDS.describe, { traceId: 't6' })).resolves.toMatchObject({ id: 'w-a' });
    await settled();
    expect(await replySubscribers('w-a')).toBe(1);
    const answers = await Promise.all(['t7', 't8', 't9'].map((traceId) => client.send('w-a', WORKER_COMMANDS.describe, { traceId })));
    expect(answers.map((answer) => answer.id)).toEqual(['w-a', 'w-a', 'w-a']);
    await settled();
    expect(await replySubscribers('w-a')).toBe(1);
  });

  it('lets a reply channel go once it has been idle long enough', async () => {
    class Forgetful extends ReplyKeepingRedisClient {
      protected override readonly idleReplyChannelMs = 0;
    }
    await startWorker('w-idle', info);
    const forgetful = new Forgetful(redisTransportOptions(config.REDIS_URL));
    try {
      await expect(firstValueFrom(forgetful.send(describeChannel('w-idle'), { traceId: 't10' }))).resolves.toMatchObject({ id: 'w-idle' });
      // The UNSUBSCRIBE goes out after the answer; another connection sees it a moment later.
      await eventually(async () => ((await replySubscribers('w-idle')) === 0 ? true : undefined), 2_000, 'reply channel unsubscribed');
    } finally {
      await forgetful.close();
    }
  });
});
