import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { SESSION_STATUSES } from '@app/contracts';
import { METRICS } from '@app/observability';
import { WorkerIdentity } from '../registry/worker-identity';
import { SessionSupervisor } from '../sessions/session-supervisor.service';

/**
 * `sessions_held{worker,status}`, read from the supervisor at every scrape. Every status gets a
 * series (0 included): the autoscaler sums them per pod, and an empty worker must count as 0,
 * not as missing.
 */
export const sessionsHeldMetric = makeGaugeProvider({
  name: METRICS.sessionsHeld.name,
  help: METRICS.sessionsHeld.help,
  labelNames: [...METRICS.sessionsHeld.labelNames],
  inject: [SessionSupervisor, WorkerIdentity],
  collect(this: Gauge, supervisor: SessionSupervisor, identity: WorkerIdentity) {
    const counts = supervisor.statusCounts();
    for (const status of SESSION_STATUSES) this.set({ worker: identity.id, status }, counts.get(status) ?? 0);
  },
});

/** `sessions_disconnected_longest_seconds{worker}`, read at every scrape. */
export const sessionsDisconnectedLongestMetric = makeGaugeProvider({
  name: METRICS.sessionsDisconnectedLongest.name,
  help: METRICS.sessionsDisconnectedLongest.help,
  labelNames: [...METRICS.sessionsDisconnectedLongest.labelNames],
  inject: [SessionSupervisor, WorkerIdentity],
  collect(this: Gauge, supervisor: SessionSupervisor, identity: WorkerIdentity) {
    this.set({ worker: identity.id }, Math.round(supervisor.longestDisconnectedSeconds()));
  },
});
