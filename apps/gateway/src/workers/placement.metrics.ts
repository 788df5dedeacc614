import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { OutboxCensusRepository } from '@app/db';
import { METRICS } from '@app/observability';
import { PlacementCensus } from './placement-census.service';

/**
 * `sessions_unplaced`, counted at every scrape (the workers report the same count; this one also
 * holds when no worker runs). A failed count leaves the last value.
 */
export const sessionsUnplacedMetric = makeGaugeProvider({
  name: METRICS.sessionsUnplaced.name,
  help: METRICS.sessionsUnplaced.help,
  labelNames: [...METRICS.sessionsUnplaced.labelNames],
  inject: [PlacementCensus],
  async collect(this: Gauge, census: PlacementCensus) {
    await census.summary().then(
      ({ unplaced }) => this.set(unplaced),
      () => undefined,
    );
  },
});

/** `outbox_messages{status}`: accepted messages waiting (`queued`) or being handed over (`sending`), installation-wide. */
export const outboxMessagesMetric = makeGaugeProvider({
  name: METRICS.outboxMessages.name,
  help: METRICS.outboxMessages.help,
  labelNames: [...METRICS.outboxMessages.labelNames],
  inject: [OutboxCensusRepository],
  async collect(this: Gauge, outbox: OutboxCensusRepository) {
    await outbox.pending().then(
      (counts) => {
        this.set({ status: 'queued' }, counts.queued);
        this.set({ status: 'sending' }, counts.sending);
      },
      () => undefined,
    );
  },
});
