import { Injectable } from '@nestjs/common';
import { AppError, WORKER_COMMANDS, workerInfoOf, type WorkerInfo } from '@app/contracts';
import { WorkerRegistryRepository } from '@app/redis';
import { WorkerRpcClient } from '@app/transport';
import type { WorkerDto } from './worker.dto';

/** A worker gets this long to describe itself before it is listed as unreachable. */
const DESCRIBE_TIMEOUT_MS = 2_000;

/** A drain or uncordon only changes the worker's state (the moves follow): it answers at once. */
const STATE_CHANGE_TIMEOUT_MS = 5_000;

@Injectable()
export class WorkersService {
  constructor(
    private readonly registry: WorkerRegistryRepository,
    private readonly rpc: WorkerRpcClient,
  ) {}

  /**
   * Workers with a live heartbeat, each asked over the transport for its current state; one that
   * does not answer in time is still listed (from its heartbeat) but marked unreachable.
   */
  async list(traceId: string): Promise<WorkerDto[]> {
    const registered = await this.registry.listLive();
    return Promise.all(
      registered.map(async (heartbeat): Promise<WorkerDto> => {
        const live = await this.describe(heartbeat.id, traceId);
        return live ? { ...workerInfoOf(live), reachable: true } : { ...heartbeat, reachable: false };
      }),
    );
  }

  /** Cordons the worker and has it hand all of its sessions to the others. */
  async drain(workerId: string, traceId: string): Promise<WorkerDto> {
    await this.requireLive(workerId);
    return { ...(await this.rpc.send(workerId, WORKER_COMMANDS.drain, { traceId }, STATE_CHANGE_TIMEOUT_MS)), reachable: true };
  }

  async uncordon(workerId: string, traceId: string): Promise<WorkerDto> {
    await this.requireLive(workerId);
    return { ...(await this.rpc.send(workerId, WORKER_COMMANDS.uncordon, { traceId }, STATE_CHANGE_TIMEOUT_MS)), reachable: true };
  }

  private async requireLive(workerId: string): Promise<void> {
    if (!(await this.registry.liveIds()).includes(workerId)) throw new AppError('NOT_FOUND', `No live session worker has id ${workerId}`);
  }

  private async describe(workerId: string, traceId: string): Promise<WorkerInfo | null> {
    try {
      return await this.rpc.send(workerId, WORKER_COMMANDS.describe, { traceId }, DESCRIBE_TIMEOUT_MS);
    } catch {
      return null;
    }
  }
}
