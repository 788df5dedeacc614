import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { METRICS } from '@app/observability';
import { WorkerRegistryRepository } from '@app/redis';

const { name, help, labelNames } = METRICS.workersLive;

/**
 * `session_workers_live`, read from the registry at every scrape. Alerts compare it with the worker
 * pods Prometheus reaches; with Redis unreachable the gateway sees no worker, so it reports 0.
 */
export const workersLiveMetric = makeGaugeProvider({
  name,
  help,
  labelNames: [...labelNames],
  inject: [WorkerRegistryRepository],
  async collect(this: Gauge, registry: WorkerRegistryRepository) {
    this.set(
      await registry.liveIds().then(
        (ids) => ids.length,
        () => 0,
      ),
    );
  },
});
