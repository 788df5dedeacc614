import { Controller, Inject, Module, type INestApplicationContext, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { AppConfigModule, CoreConfig, loadConfig } from '@app/config';
import { AppError, WORKER_COMMANDS, workerChannelPrefix, type LiveSessionState, type SessionRequest, type WorkerInfo, type WorkerState } from '@app/contracts';
import { RedisModule, SessionLeaseRepository, SessionMovesRepository, WorkerRegistryRepository } from '@app/redis';
import { baseTestEnv, isolatedPrefix } from '../../../test/support/test-env';
import { AddressedRedisServer } from './addressed-redis.server';
import { redisTransportOptions } from './redis-transport-options';
import { RemoteErrorFilter } from './remote-error.filter';
import { SessionCommandRouter } from './session-command.router';
import { WorkerRpcClientModule } from './worker-rpc-client.module';

const WORKER_ID = Symbol('WORKER_ID');

/** Sessions named `leased-…` are answered only by the worker holding their lease, as a real worker does. */
let leaseHolderOf: (sessionId: string) => Promise<string | null> = () => Promise.resolve(null);

/** Answers session.state with its own id, so a test sees which worker a command reached. */
@Controller()
class EchoWorkerController {
  constructor(@Inject(WORKER_ID) private readonly workerId: string) {}

  @MessagePattern(WORKER_COMMANDS.sessionState)
  async state(@Payload() request: SessionRequest): Promise<LiveSessionState> {
    if (request.sessionId.startsWith('leased-') && (await leaseHolderOf(request.sessionId)) !== this.workerId) {
      throw new AppError('WORKER_NOT_OWNER', `Session ${request.sessionId} is not on ${this.workerId}`);
    }
    const now = new Date().toISOString();
    return {
      sessionId: request.sessionId,
      workerId: this.workerId,
      status: 'connected',
      connected: true,
      qr: null,
      qrUpdatedAt: null,
      phone: null,
      since: now,
    };
  }
}

/** Routing respects planned moves and worker states (real Redis, real transport, workers that echo their id). */
describe('session command routing during moves and drains', () => {
  const config = loadConfig(CoreConfig, baseTestEnv({ REDIS_PREFIX: isolatedPrefix('router') }));
  const workers: INestMicroservice[] = [];
  let app: INestApplicationContext;
  let router: SessionCommandRouter;
  let registry: WorkerRegistryRepository;
  let moves: SessionMovesRepository;
  let leases: SessionLeaseRepository;

  const register = (id: string, sessionsHeld: number, state: WorkerState = 'active') => {
    const info: WorkerInfo = {
      id,
      host: 'test',
      pid: 1,
      sessionsHeld,
      capacity: 100,
      state,
      movesInFlight: 0,
      startedAt: new Date().toISOString(),
      heartbeatAt: new Date().toISOString(),
    };
    return registry.heartbeat(info, 60_000);
  };
  const reachedBy = async (sessionId: string) => (await router.send(sessionId, WORKER_COMMANDS.sessionState, { sessionId, traceId: 't' })).workerId;

  beforeAll(async () => {
    for (const id of ['r-busy', 'r-idle', 'r-draining']) {
      @Module({ controllers: [EchoWorkerController], providers: [{ provide: WORKER_ID, useValue: id }] })
      class EchoWorkerModule {}
      const worker = await NestFactory.createMicroservice(EchoWorkerModule, {
        strategy: new AddressedRedisServer(redisTransportOptions(config.REDIS_URL), workerChannelPrefix(config.REDIS_PREFIX, id)),
        logger: false,
      });
      worker.useGlobalFilters(new RemoteErrorFilter());
      await worker.listen();
      workers.push(worker);
    }
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(CoreConfig, config), RedisModule.forRoot(), WorkerRpcClientModule.forRoot({ timeoutMs: 2_000 })],
    }).compile();
    app = await moduleRef.init();
    router = app.get(SessionCommandRouter);
    registry = app.get(WorkerRegistryRepository);
    moves = app.get(SessionMovesRepository);
    leases = app.get(SessionLeaseRepository);
    leaseHolderOf = (sessionId) => leases.ownerOf(sessionId);
    await register('r-busy', 50);
    await register('r-idle', 10);
    await register('r-draining', 0, 'draining');
  });

  afterAll(async () => {
    await app.close();
    await Promise.all(workers.map((worker) => worker.close()));
  });

  it('sends a command for a session nobody holds to the least loaded active worker, never to a draining one', async () => {
    expect(await reachedBy('unheld-1')).toBe('r-idle');
  });

  it('sends it to the worker the session is being handed to instead', async () => {
    await moves.reserve('moving-1', { to: 'r-busy', from: 'r-draining', reason: 'drain', since: Date.now() }, 10_000);
    expect(await reachedBy('moving-1')).toBe('r-busy');
  });

  it('ignores a reservation for a worker that no longer takes sessions', async () => {
    await moves.reserve('moving-2', { to: 'r-draining', from: 'r-busy', reason: 'rebalance', since: Date.now() }, 10_000);
    expect(await reachedBy('moving-2')).toBe('r-idle');
  });

  it('tells senders a moving session will be back shortly, and an unheld one that nobody holds it', async () => {
    await moves.reserve('moving-3', { to: 'r-idle', from: 'r-busy', reason: 'rebalance', since: Date.now() }, 10_000);
    const send = (sessionId: string) => router.sendToHolder(sessionId, WORKER_COMMANDS.sessionState, { sessionId, traceId: 't' });
    await expect(send('moving-3')).rejects.toMatchObject({ code: 'SESSION_NOT_READY', details: { retryAfterSeconds: 1 } });
    await expect(send('unheld-2')).rejects.toMatchObject({ code: 'SESSION_NOT_READY', details: { held: false } });
  });

  it('sends to the holder once the receiver took the lease, whatever the reservation says', async () => {
    await moves.reserve('moved-4', { to: 'r-idle', from: 'r-busy', reason: 'rebalance', since: Date.now() }, 10_000);
    await leases.acquire('moved-4', 'r-idle', 10_000);
    expect((await router.sendToHolder('moved-4', WORKER_COMMANDS.sessionState, { sessionId: 'moved-4', traceId: 't' })).workerId).toBe('r-idle');
  });

  it('follows a session its remembered holder has just let go to the worker holding it now', async () => {
    const holderReached = async () => (await router.sendToHolder('leased-5', WORKER_COMMANDS.sessionState, { sessionId: 'leased-5', traceId: 't' })).workerId;
    const first = await leases.acquire('leased-5', 'r-busy', 10_000);
    expect(await holderReached()).toBe('r-busy');
    await leases.release(first!);
    await leases.acquire('leased-5', 'r-idle', 10_000);
    expect(await holderReached()).toBe('r-idle');
    expect(await reachedBy('leased-5')).toBe('r-idle');
  });

  it('answers NO_WORKER_AVAILABLE, naming the states, when every worker is draining or leaving', async () => {
    await register('r-busy', 50, 'leaving');
    await register('r-idle', 10, 'draining');
    await expect(reachedBy('unheld-3')).rejects.toMatchObject({ code: 'NO_WORKER_AVAILABLE', message: expect.stringContaining('r-busy leaving') });
  });
});
