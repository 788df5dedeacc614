import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { SessionWorkerConfig } from '@app/config';
import type { WorkerInfo } from '@app/contracts';
import { WorkerRegistryRepository } from '@app/redis';
import { SessionSupervisor } from '../sessions/session-supervisor.service';
import { WorkerIdentity } from './worker-identity';

/** Keeps this worker in the registry while it runs and takes it out before it exits. */
@Injectable()
export class WorkerHeartbeatService {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly identity: WorkerIdentity,
    private readonly supervisor: SessionSupervisor,
    private readonly registry: WorkerRegistryRepository,
    private readonly config: SessionWorkerConfig,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(WorkerHeartbeatService.name);
  }

  describe(): WorkerInfo {
    return {
      id: this.identity.id,
      host: this.identity.host,
      pid: this.identity.pid,
      sessionsHeld: this.supervisor.count,
      capacity: this.config.WORKER_CAPACITY,
      startedAt: this.identity.startedAt.toISOString(),
      heartbeatAt: new Date().toISOString(),
    };
  }

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.config.WORKER_HEARTBEAT_MS);
    this.logger.info({ workerId: this.identity.id }, 'worker registered');
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.registry.remove(this.identity.id);
    this.logger.info({ workerId: this.identity.id }, 'worker deregistered');
  }

  private async beat(): Promise<void> {
    try {
      await this.registry.heartbeat(this.describe(), this.config.WORKER_TTL_MS);
    } catch (error) {
      this.logger.warn({ err: error }, 'heartbeat failed; will retry');
    }
  }
}
