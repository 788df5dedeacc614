import { Inject, Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { CoreConfig } from '@app/config';
import { AppError, isErrorCode, workerChannelPrefix, type WorkerCommand, type WorkerRequest, type WorkerResponse } from '@app/contracts';

export const WORKER_RPC_PROXY = Symbol('WORKER_RPC_PROXY');

export interface WorkerRpcOptions {
  timeoutMs: number;
}
export const WORKER_RPC_OPTIONS = Symbol('WORKER_RPC_OPTIONS');

/** Sends a typed command to one addressed worker and turns remote failures back into AppErrors. */
@Injectable()
export class WorkerRpcClient {
  constructor(
    @Inject(WORKER_RPC_PROXY) private readonly proxy: ClientProxy,
    @Inject(WORKER_RPC_OPTIONS) private readonly options: WorkerRpcOptions,
    private readonly config: CoreConfig,
  ) {}

  async send<C extends WorkerCommand>(workerId: string, command: C, request: WorkerRequest<C>, timeoutMs = this.options.timeoutMs): Promise<WorkerResponse<C>> {
    const channel = `${workerChannelPrefix(this.config.REDIS_PREFIX, workerId)}${command}`;
    try {
      return await firstValueFrom(this.proxy.send<WorkerResponse<C>>(channel, request).pipe(timeout(timeoutMs)));
    } catch (error) {
      throw toAppError(error, workerId, command, timeoutMs);
    }
  }
}

function toAppError(error: unknown, workerId: string, command: string, timeoutMs: number): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof TimeoutError) {
    return new AppError('WORKER_TIMEOUT', `Session worker ${workerId} did not answer ${command} within ${timeoutMs} ms`);
  }
  const remote = error as { code?: unknown; message?: unknown; details?: unknown } | null;
  if (remote && isErrorCode(remote.code)) {
    const message = typeof remote.message === 'string' ? remote.message : remote.code;
    const details = remote.details && typeof remote.details === 'object' ? (remote.details as Record<string, unknown>) : undefined;
    return new AppError(remote.code, message, details);
  }
  return new AppError('BAD_GATEWAY', `Session worker ${workerId} could not be reached`);
}
