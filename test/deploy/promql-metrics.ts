import { parser } from '@prometheus-io/lezer-promql';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { METRICS } from '@app/observability';

export interface ParsedQuery {
  /** Where the parser found the query malformed (empty when it parses). */
  errors: string[];
  /** Every metric name the query selects. */
  metricNames: string[];
}

/** Parses PromQL with the Prometheus project's own grammar (the one its web UI uses). */
export function parsePromQL(query: string): ParsedQuery {
  const errors: string[] = [];
  const metricNames: string[] = [];
  parser.parse(query).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`syntax error at ${node.from}: ${JSON.stringify(query.slice(Math.max(0, node.from - 20), node.to + 20))}`);
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') metricNames.push(query.slice(node.from, node.to));
    },
  });
  return { errors, metricNames };
}

const SERIES_SUFFIXES: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count'] };

/**
 * Series names a query may select: those of the suite's declared metrics (histograms with their
 * suffixes), prom-client's default process metrics (every app serves them) and Prometheus' `up`.
 */
export async function knownSeriesNames(): Promise<Set<string>> {
  const defaults = new Registry();
  collectDefaultMetrics({ register: defaults });
  const defaultMetrics = (await defaults.getMetricsAsJSON()).map((metric) => ({ name: metric.name, type: String(metric.type) }));
  const declared = Object.values(METRICS).map((metric) => ({ name: metric.name, type: metric.type }));
  const names = new Set(['up']);
  for (const { name, type } of [...declared, ...defaultMetrics]) {
    names.add(name);
    for (const suffix of SERIES_SUFFIXES[type] ?? []) names.add(`${name}${suffix}`);
  }
  return names;
}
