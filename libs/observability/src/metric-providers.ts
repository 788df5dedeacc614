import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { METRICS } from './metric-names';

type MetricKey = keyof typeof METRICS;

interface MetricDefinition {
  type: 'counter' | 'gauge' | 'histogram';
  name: string;
  help: string;
  labelNames: readonly string[];
  buckets?: readonly number[];
}

/** A provider for each named metric, injectable with `@InjectMetric(METRICS.x.name)`. */
export function metricProviders(...keys: MetricKey[]) {
  return keys.map((key) => {
    const metric: MetricDefinition = METRICS[key];
    const definition = { name: metric.name, help: metric.help, labelNames: [...metric.labelNames] };
    switch (metric.type) {
      case 'histogram':
        return makeHistogramProvider({ ...definition, buckets: [...(metric.buckets ?? [])] });
      case 'gauge':
        return makeGaugeProvider(definition);
      case 'counter':
        return makeCounterProvider(definition);
    }
  });
}
