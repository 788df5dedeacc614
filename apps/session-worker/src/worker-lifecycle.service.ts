import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { SessionWorkerConfig } from '@app/config';
import { SessionLeaseRepository } from '@app/redis';
import { withinDeadline } from '@app/runtime';
import { OutboxSweeper } from './outbox/outbox-sweeper.service';
import { LeaseKeeper } from './placement/lease-keeper.service';
import { SessionClaimer } from './placement/session-claimer.service';
import { WorkerHeartbeatService } from './registry/worker-heartbeat.service';
import { SessionSupervisor } from './sessions/session-supervisor.service';

/**
 * The order in which a worker joins and leaves the fleet, which is what makes failover and
 * hand-over clean. Joining (once its command channel listens, so it is never listed unreachable):
 * register, give simultaneously starting peers one heartbeat to register too (so the first one
 * does not take everything), then claim. Leaving: stop claiming, leave the registry (peers' fair
 * share then covers our sessions), close every socket, free the leases and wake the peers so they
 * take over at once.
 */
@Injectable()
export class WorkerLifecycle implements BeforeApplicationShutdown {
  private joined = false;

  constructor(
    private readonly heartbeat: WorkerHeartbeatService,
    private readonly claimer: SessionClaimer,
    private readonly keeper: LeaseKeeper,
    private readonly sweeper: OutboxSweeper,
    private readonly supervisor: SessionSupervisor,
    private readonly leases: SessionLeaseRepository,
    private readonly config: SessionWorkerConfig,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(WorkerLifecycle.name);
  }

  /** Called by main once the app and its transport are up. */
  async join(): Promise<void> {
    this.joined = true;
    await this.heartbeat.start();
    this.keeper.start();
    this.sweeper.start();
    await new Promise((resolve) => setTimeout(resolve, this.config.WORKER_HEARTBEAT_MS));
    await this.claimer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.joined) return;
    await this.claimer.stop();
    await this.heartbeat.stop();
    this.keeper.stop();
    this.sweeper.stop();
    const handedOver = await withinDeadline(this.supervisor.handOverAll(), this.config.WORKER_DRAIN_GRACE_MS);
    await this.leases.wakeWorkers();
    if (handedOver === undefined) {
      this.logger.warn({ graceMs: this.config.WORKER_DRAIN_GRACE_MS }, 'hand-over outlasted WORKER_DRAIN_GRACE_MS; exiting, peers take the rest over as leases expire');
    } else {
      this.logger.info({ handedOver }, 'sessions handed over');
    }
  }
}
