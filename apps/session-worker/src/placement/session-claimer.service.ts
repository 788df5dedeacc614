import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import { SessionWorkerConfig } from '@app/config';
import { redisChannels } from '@app/contracts';
import { SessionRepository } from '@app/db';
import { SessionLeaseRepository, WorkerRegistryRepository } from '@app/redis';
import { WorkerIdentity } from '../registry/worker-identity';
import { SessionSupervisor } from '../sessions/session-supervisor.service';
import { roomToClaim, someoneLessLoaded } from './fair-share';

export const WAKE_SUBSCRIBER = Symbol('WAKE_SUBSCRIBER');

/** A less loaded worker gets this head start on sessions that need an owner. */
const DEFER_TO_LESS_LOADED_MS = 300;

/**
 * Places sessions on workers without a coordinator: every worker periodically (and when woken)
 * looks for sessions that want a connection but have no lease holder, and claims up to its fair
 * share. New sessions and a dead worker's orphans are picked up this way; a less loaded worker
 * claims first, and the lease decides any race.
 */
@Injectable()
export class SessionClaimer {
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly sessions: SessionRepository,
    private readonly leases: SessionLeaseRepository,
    private readonly registry: WorkerRegistryRepository,
    private readonly supervisor: SessionSupervisor,
    private readonly identity: WorkerIdentity,
    private readonly config: SessionWorkerConfig,
    private readonly logger: PinoLogger,
    @Inject(WAKE_SUBSCRIBER) private readonly subscriber: Redis,
  ) {
    logger.setContext(SessionClaimer.name);
  }

  async start(): Promise<void> {
    const channel = redisChannels.sessionsWake(this.config.REDIS_PREFIX);
    this.subscriber.on('message', () => this.reconcileSoon());
    await this.subscriber.subscribe(channel);
    this.timer = setInterval(() => this.reconcileSoon(), this.config.RECONCILE_INTERVAL_MS);
    this.reconcileSoon();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.subscriber.disconnect();
    await this.running;
  }

  /** Runs a reconciliation now, or right after the one in progress. */
  reconcileSoon(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.reconcile()
      .catch((error: Error) => this.logger.warn({ err: error }, 'reconciliation failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.reconcileSoon();
        }
      });
  }

  private async reconcile(): Promise<void> {
    const wanted = await this.sessions.listWantingConnection();
    const unheld = wanted.filter((id) => !this.supervisor.holds(id));
    if (unheld.length === 0) return;
    const owners = await this.leases.ownersOf(unheld);
    const free = unheld.filter((id) => owners.get(id) === null);
    if (free.length === 0) return;
    const live = await this.registry.listLive();
    let room = roomToClaim(wanted.length, live.length, this.config.WORKER_CAPACITY, this.supervisor.count);
    if (room === 0) return;
    if (someoneLessLoaded(this.identity.id, this.supervisor.count, this.config.WORKER_CAPACITY, live)) {
      await new Promise((resolve) => setTimeout(resolve, DEFER_TO_LESS_LOADED_MS));
    }
    const candidates = shuffle(free).slice(0, room);
    await forEachLimited(candidates, this.config.RESTORE_CONCURRENCY, async (sessionId) => {
      if (this.stopped || room <= 0) return;
      if (await this.supervisor.claim(sessionId)) room -= 1;
    });
  }
}

function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}
