import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { SessionWorkerConfig } from '@app/config';
import { AppError, type WorkerInfo } from '@app/contracts';
import { SessionRepository } from '@app/db';
import { SessionLeaseRepository } from '@app/redis';
import { withinDeadline } from '@app/runtime';
import { OutboxSweeper } from './outbox/outbox-sweeper.service';
import { LeaseKeeper } from './placement/lease-keeper.service';
import { PlacementSignals } from './placement/placement-signals.service';
import { Rebalancer } from './placement/rebalancer.service';
import { SessionClaimer } from './placement/session-claimer.service';
import { WorkerHeartbeatService } from './registry/worker-heartbeat.service';
import { WorkerStateService } from './registry/worker-state';
import { SessionSupervisor } from './sessions/session-supervisor.service';

/** Of WORKER_DRAIN_GRACE_MS, this much is kept for closing what planned hand-overs did not move. */
const LAST_RESORT_MS = 1_000;

/**
 * The order in which a worker joins and leaves the fleet, and its drain and uncordon. Joining
 * (once its command channel listens, so it is never listed unreachable): listen for peers'
 * signals, register, give simultaneously starting peers one heartbeat to register too (so the
 * first one does not take everything), then claim and rebalance, and wake the peers, whose
 * rebalancing then moves sessions here. Draining: take no sessions, hand every held one over as
 * a planned move, stay up. Leaving (SIGTERM): the same at once, bounded by WORKER_DRAIN_GRACE_MS;
 * what is left then is closed and its leases freed, and the peers are woken to take it.
 */
@Injectable()
export class WorkerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private joined = false;

  constructor(
    private readonly heartbeat: WorkerHeartbeatService,
    private readonly state: WorkerStateService,
    private readonly signals: PlacementSignals,
    private readonly claimer: SessionClaimer,
    private readonly rebalancer: Rebalancer,
    private readonly keeper: LeaseKeeper,
    private readonly sweeper: OutboxSweeper,
    private readonly supervisor: SessionSupervisor,
    private readonly leases: SessionLeaseRepository,
    private readonly sessions: SessionRepository,
    private readonly config: SessionWorkerConfig,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(WorkerLifecycle.name);
  }

  /**
   * The first database query loads and warms the query compiler (a second or more on a busy
   * machine): paid while the app starts, before peers see this worker and hand it sessions.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.sessions.countWantingConnection();
  }

  /** Called by main once the app and its transport are up. */
  async join(): Promise<void> {
    this.joined = true;
    await this.signals.listen();
    await this.heartbeat.start();
    this.keeper.start();
    this.sweeper.start();
    await new Promise((resolve) => setTimeout(resolve, this.config.WORKER_HEARTBEAT_MS));
    this.claimer.start();
    this.rebalancer.start();
    await this.leases.wakeWorkers();
  }

  /** Cordons the worker: it takes no new sessions and hands its own to the others. */
  async drain(): Promise<WorkerInfo> {
    if (!this.state.cordon()) throw new AppError('CONFLICT', 'The worker is leaving; it is handing its sessions over already');
    this.logger.info({ sessions: this.supervisor.count }, 'draining: handing every session to the other workers');
    await this.heartbeat.beatNow();
    this.rebalancer.runSoon();
    return this.heartbeat.describe();
  }

  /** Undoes a drain: the worker takes sessions again (rebalancing brings it its share). */
  async uncordon(): Promise<WorkerInfo> {
    if (!this.state.uncordon()) throw new AppError('CONFLICT', 'The worker is leaving; it cannot take sessions again');
    this.logger.info('uncordoned: taking sessions again');
    await this.heartbeat.beatNow();
    await this.leases.wakeWorkers();
    return this.heartbeat.describe();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.joined) return;
    this.state.leave();
    await Promise.all([this.claimer.stop(), this.rebalancer.stop()]);
    await this.heartbeat.beatNow();
    const grace = this.config.WORKER_DRAIN_GRACE_MS;
    const startedAt = Date.now();
    const handedOver = await withinDeadline(this.rebalancer.handOverAll(), Math.max(0, grace - LAST_RESORT_MS)).catch((error: Error) => {
      this.logger.warn({ err: error }, 'planned hand-over failed; closing the rest');
      return undefined;
    });
    const left = this.supervisor.count;
    if (left > 0) await withinDeadline(this.supervisor.handOverAll(), Math.max(LAST_RESORT_MS, grace - (Date.now() - startedAt)));
    await this.heartbeat.stop();
    this.keeper.stop();
    this.sweeper.stop();
    this.signals.close();
    await this.leases.wakeWorkers();
    if (handedOver === undefined || left > 0) {
      this.logger.warn(
        { graceMs: grace, closedUnplanned: left },
        'planned hand-over outlasted WORKER_DRAIN_GRACE_MS; the rest was closed and is taken over by the peers',
      );
    } else {
      this.logger.info({ handedOver, tookMs: Date.now() - startedAt }, 'sessions handed over');
    }
  }
}
