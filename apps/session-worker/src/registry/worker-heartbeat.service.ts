import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { SessionWorkerConfig } from '@app/config';
import type { WorkerInfo } from '@app/contracts';
import { WorkerRegistryRepository } from '@app/redis';
import { SessionSupervisor } from '../sessions/session-supervisor.service';
import { WorkerIdentity } from './worker-identity';
import { WorkerStateService } from './worker-state';

/** Keeps this worker in the registry while it runs and takes it out before it exits. */
@Injectable()
export class WorkerHeartbeatService {
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly identity: WorkerIdentity,
    private readonly supervisor: SessionSupervisor,
    private readonly state: WorkerStateService,
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
      state: this.state.current,
      movesInFlight: this.supervisor.movesInFlight,
      startedAt: this.identity.startedAt.toISOString(),
      heartbeatAt: new Date().toISOString(),
    };
  }

  async start(): Promise<void> {
    await this.beatNow();
    this.timer = setInterval(() => void this.beatNow(), this.config.WORKER_HEARTBEAT_MS);
    this.logger.info({ workerId: this.identity.id }, 'worker registered');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.registry.remove(this.identity.id);
    this.logger.info({ workerId: this.identity.id }, 'worker deregistered');
  }

  /** Writes the self-description now (after a change peers must see before the next heartbeat). */
  async beatNow(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.registry.heartbeat(this.describe(), this.config.WORKER_TTL_MS);
    } catch (error) {
      this.logger.warn({ err: error }, 'heartbeat failed; will retry');
    }
  }
}
