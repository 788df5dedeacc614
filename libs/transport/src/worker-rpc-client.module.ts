import { DynamicModule, Module } from '@nestjs/common';
import { ClientsModule } from '@nestjs/microservices';
import { CoreConfig } from '@app/config';
import { redisTransportOptions } from './redis-transport-options';
import { ReplyKeepingRedisClient } from './reply-keeping-redis.client';
import { SessionCommandRouter } from './session-command.router';
import { WORKER_RPC_OPTIONS, WORKER_RPC_PROXY, WorkerRpcClient, type WorkerRpcOptions } from './worker-rpc.client';

/** The calling side of the worker transport (gateway, scheduler, agent-runner), with session routing. */
@Module({})
export class WorkerRpcClientModule {
  static forRoot(options: WorkerRpcOptions): DynamicModule {
    const proxy = ClientsModule.registerAsync([
      {
        name: WORKER_RPC_PROXY,
        inject: [CoreConfig],
        useFactory: (config: CoreConfig) => ({
          customClass: ReplyKeepingRedisClient,
          options: { ...redisTransportOptions(config.REDIS_URL), connectionName: 'wagw-worker-rpc-client' },
        }),
      },
    ]);
    return {
      module: WorkerRpcClientModule,
      global: true,
      imports: [proxy],
      providers: [{ provide: WORKER_RPC_OPTIONS, useValue: options }, WorkerRpcClient, SessionCommandRouter],
      exports: [WorkerRpcClient, SessionCommandRouter],
    };
  }
}
