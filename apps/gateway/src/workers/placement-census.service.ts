import { Injectable } from '@nestjs/common';
import { unplacedCount, type WorkerInfo } from '@app/contracts';
import { SessionRepository } from '@app/db';
import { SessionLeaseRepository, SessionMovesRepository, WorkerRegistryRepository } from '@app/redis';

export interface PlacementSummary {
  live: WorkerInfo[];
  /** Sessions that want a connection and that no worker holds or is about to receive. */
  waiting: number;
  /** Of those, the ones no active worker has room for (sessions_unplaced). */
  unplaced: number;
}

/**
 * Where the cluster stands on placing sessions, as the gateway reports it (`sessions_unplaced`,
 * the `/health` detail): counted the way the workers count it, from the same registry, leases
 * and reservations.
 */
@Injectable()
export class PlacementCensus {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly leases: SessionLeaseRepository,
    private readonly moves: SessionMovesRepository,
    private readonly registry: WorkerRegistryRepository,
  ) {}

  async summary(): Promise<PlacementSummary> {
    const [wanted, live] = await Promise.all([this.sessions.listWantingConnection(), this.registry.listLive()]);
    const owners = await this.leases.ownersOf(wanted);
    const free = wanted.filter((id) => owners.get(id) === null);
    const reservations = await this.moves.reservationsOf(free);
    const receivers = new Set(live.filter((worker) => worker.state === 'active').map((worker) => worker.id));
    const waiting = free.filter((id) => {
      const reservation = reservations.get(id);
      return !reservation || !receivers.has(reservation.to);
    }).length;
    return { live, waiting, unplaced: unplacedCount(waiting, live) };
  }
}
