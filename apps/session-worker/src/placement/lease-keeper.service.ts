import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { PinoLogger } from 'nestjs-pino';
import type { Counter } from 'prom-client';
import { SessionWorkerConfig } from '@app/config';
import { METRICS } from '@app/observability';
import { SessionLeaseRepository } from '@app/redis';
import { WorkerIdentity } from '../registry/worker-identity';
import { SessionSupervisor } from '../sessions/session-supervisor.service';

/**
 * Renews this worker's session leases three times per TTL. A lease found taken is let go at once;
 * when Redis cannot be reached long enough that the leases may have expired, every session is
 * closed (self-fencing), so a partitioned worker never keeps a socket another worker also opens.
 */
@Injectable()
export class LeaseKeeper {
  private timer?: NodeJS.Timeout;
  private lastRenewedAt = Date.now();

  constructor(
    private readonly leases: SessionLeaseRepository,
    private readonly supervisor: SessionSupervisor,
    private readonly identity: WorkerIdentity,
    private readonly config: SessionWorkerConfig,
    private readonly logger: PinoLogger,
    @InjectMetric(METRICS.leaseLosses.name) private readonly losses: Counter<string>,
  ) {
    logger.setContext(LeaseKeeper.name);
  }

  start(): void {
    this.lastRenewedAt = Date.now();
    this.timer = setInterval(() => void this.renew(), Math.floor(this.config.LEASE_TTL_MS / 3));
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async renew(): Promise<void> {
    const held = this.supervisor.heldLeases();
    try {
      const lost = await this.leases.renewAll(held, this.config.LEASE_TTL_MS);
      this.lastRenewedAt = Date.now();
      if (lost.length > 0) this.lose(lost);
    } catch (error) {
      const silentFor = Date.now() - this.lastRenewedAt;
      this.logger.warn({ err: error, silentFor }, 'lease renewal failed');
      if (silentFor > this.config.LEASE_TTL_MS * 0.8) this.lose(held.map((lease) => lease.sessionId));
    }
    this.supervisor.refreshGauge();
  }

  private lose(sessionIds: string[]): void {
    const held = sessionIds.filter((sessionId) => this.supervisor.holds(sessionId));
    if (held.length > 0) this.losses.inc({ worker: this.identity.id }, held.length);
    this.supervisor.lose(held);
  }
}
