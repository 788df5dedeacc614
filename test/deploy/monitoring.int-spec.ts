import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { parse, stringify } from 'yaml';
import { knownSeriesNames, parsePromQL } from './promql-metrics';

const ROOT = join(__dirname, '..', '..');
const MONITORING = join(ROOT, 'deploy', 'base', 'monitoring');

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleGroup {
  name: string;
  rules: AlertRule[];
}
interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  gridPos?: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: { expr: string; refId: string }[];
}

const readYaml = <T>(path: string): T => parse(readFileSync(path, 'utf8')) as T;

/** Grafana's own variables stand for a duration or a label value; the parser gets plausible ones. */
const withGrafanaVariables = (expr: string) => expr.replaceAll('$__rate_interval', '1m').replaceAll('$__interval', '1m');

/**
 * The query's problems: PromQL that does not parse, and metrics nothing in the suite records
 * (libs/observability/src/metric-names.ts is the one list of them).
 */
function problemsOf(where: string, expr: string, known: Set<string>): string[] {
  const { errors, metricNames } = parsePromQL(expr);
  return [
    ...errors.map((error) => `${where}: ${error}`),
    ...metricNames.filter((name) => !known.has(name)).map((name) => `${where}: undeclared metric ${name}`),
  ];
}

/** Alert rules, Grafana dashboard and Prometheus adapter rule: valid, and built only on declared metrics. */
describe('monitoring: alert rules, dashboard, adapter rule', () => {
  const ruleObject = readYaml<{ spec: { groups: RuleGroup[] } }>(join(MONITORING, 'alert-rules.yaml'));
  const groups = ruleObject.spec.groups;
  const alerts = groups.flatMap((group) => group.rules);
  const dashboard = JSON.parse(readFileSync(join(MONITORING, 'wa-gateway-dashboard.json'), 'utf8')) as { uid: string; panels: DashboardPanel[] };
  const panels = dashboard.panels.filter((panel) => panel.type !== 'row');
  let known: Set<string>;

  beforeAll(async () => {
    known = await knownSeriesNames();
  });

  it('finds malformed PromQL and undeclared metrics (the checks below can fail)', () => {
    expect(problemsOf('q', 'sum(rate(sessions_held[5m])', known)).toEqual([expect.stringContaining('syntax error')]);
    expect(problemsOf('q', 'sum by (worker) (session_moves_totl)', known)).toEqual(['q: undeclared metric session_moves_totl']);
    expect(problemsOf('q', 'histogram_quantile(0.9, sum by (le) (rate(ai_latency_seconds_bucket[5m]))) > 1 and up == 1', known)).toEqual([]);
  });

  describe('alert rules', () => {
    it('are a PrometheusRule the operator accepts', () => {
      expect(() => new PrometheusRule(ruleObject as never).validate()).not.toThrow();
    });

    it('cover worker down, unplaced and stuck sessions, send failures, growing backlogs and lease losses', () => {
      expect(alerts.map((rule) => rule.alert)).toEqual(
        expect.arrayContaining([
          'SessionWorkerDown', 'NoSessionWorkerLive', 'SessionsUnplaced', 'SessionsStuckDisconnected',
          'SendFailuresHigh', 'QueueBacklogGrowing', 'OutboxBacklogGrowing', 'SessionLeasesLost',
        ]),
      );
      expect(new Set(alerts.map((rule) => rule.alert)).size).toBe(alerts.length);
    });

    it('each have a severity, a summary and a description', () => {
      for (const rule of alerts) {
        expect({ alert: rule.alert, severity: rule.labels?.severity }).toEqual({ alert: rule.alert, severity: expect.stringMatching(/^(warning|critical)$/) });
        expect({ alert: rule.alert, summary: rule.annotations?.summary, description: rule.annotations?.description }).toEqual({
          alert: rule.alert, summary: expect.any(String), description: expect.any(String),
        });
        if (rule.for !== undefined) expect({ alert: rule.alert, for: rule.for }).toEqual({ alert: rule.alert, for: expect.stringMatching(/^\d+[smh]$/) });
      }
    });

    it('parse as PromQL and use only declared metrics', () => {
      expect(alerts.flatMap((rule) => problemsOf(rule.alert, rule.expr, known))).toEqual([]);
    });
  });

  describe('Grafana dashboard', () => {
    it('has unique panel ids, a place on the grid and the data source variable for every panel', () => {
      const ids = dashboard.panels.map((panel) => panel.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const panel of panels) {
        expect({ title: panel.title, grid: panel.gridPos, uid: panel.datasource?.uid, targets: panel.targets?.length }).toEqual({
          title: panel.title, grid: { h: expect.any(Number), w: expect.any(Number), x: expect.any(Number), y: expect.any(Number) },
          uid: '${datasource}', targets: expect.any(Number),
        });
      }
    });

    it('queries parse as PromQL and use only declared metrics', () => {
      const problems = panels.flatMap((panel) => (panel.targets ?? []).flatMap((target) => problemsOf(`${panel.title}/${target.refId}`, withGrafanaVariables(target.expr), known)));
      expect(problems).toEqual([]);
    });

    it('shows sessions per worker and state, unplaced sessions, moves and failovers, sends, outbox and queues, webhooks, AI and errors', () => {
      const used = new Set(panels.flatMap((panel) => (panel.targets ?? []).flatMap((target) => parsePromQL(withGrafanaVariables(target.expr)).metricNames)));
      expect([...used]).toEqual(
        expect.arrayContaining([
          'sessions_held', 'session_worker_state', 'session_workers_live', 'sessions_unplaced', 'session_moves_total',
          'session_lease_takeovers_total', 'session_lease_losses_total', 'session_move_duration_seconds_bucket', 'messages_sent_total',
          'http_request_duration_seconds_bucket', 'outbox_messages', 'queue_jobs', 'jobs_processed_total', 'ai_latency_seconds_count',
          'errors_total',
        ]),
      );
    });
  });

  describe('Prometheus adapter rule', () => {
    interface AdapterRule {
      seriesQuery: string;
      metricsQuery: string;
      name: { matches: string; as: string };
      resources: { overrides: Record<string, { resource: string }> };
    }
    const adapter = readYaml<{ rules: { custom: AdapterRule[] } }>(join(ROOT, 'deploy', 'prometheus-adapter', 'values.yaml'));
    const hpa = parse(readFileSync(join(ROOT, 'deploy', 'base', 'session-worker.yaml'), 'utf8').split(/^---$/m).find((doc) => doc.includes('kind: HorizontalPodAutoscaler'))!) as {
      spec: { metrics: { type: string; pods?: { metric: { name: string } } }[] };
    };

    it('serves the metric the session-worker autoscaler reads, per pod and namespace', () => {
      const served = adapter.rules.custom.map((rule) => rule.name.as);
      const read = hpa.spec.metrics.filter((metric) => metric.type === 'Pods').map((metric) => metric.pods!.metric.name);
      expect(read).toEqual(['sessions_held']);
      expect(served).toEqual(expect.arrayContaining(read));
      for (const rule of adapter.rules.custom) expect(rule.resources.overrides).toEqual({ namespace: { resource: 'namespace' }, pod: { resource: 'pod' } });
    });

    it('queries parse as PromQL (template filled in) and use only declared metrics', () => {
      const filled = (query: string) =>
        query.replaceAll('<<.GroupBy>>', 'namespace, pod').replaceAll('<<.Series>>', 'sessions_held').replaceAll('<<.LabelMatchers>>', 'namespace="wagw"');
      const problems = adapter.rules.custom.flatMap((rule) => [
        ...problemsOf(`${rule.name.as} series`, rule.seriesQuery, known),
        ...problemsOf(`${rule.name.as} metrics`, filled(rule.metricsQuery), known),
      ]);
      expect(problems).toEqual([]);
    });
  });

  const promtoolInstalled = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!promtoolInstalled) console.warn('promtool is not installed (Debian package prometheus): alert rules are checked by the PromQL parser only');
  // Extra checks where Debian's prometheus package is installed (.ci/run installs it).
  (promtoolInstalled ? describe : describe.skip)('promtool (only where the prometheus package is installed)', () => {
    const directory = mkdtempSync(join(tmpdir(), 'wagw-rules-'));
    writeFileSync(join(directory, 'alert-rules.yml'), stringify(ruleObject.spec));
    copyFileSync(join(__dirname, 'alert-rules.promtool.yml'), join(directory, 'alert-rules.promtool.yml'));
    const promtool = (...args: string[]) => spawnSync('promtool', args, { cwd: directory, encoding: 'utf8' });

    it('accepts the rules', () => {
      const result = promtool('check', 'rules', 'alert-rules.yml');
      expect(result.stdout + result.stderr).toContain(`SUCCESS: ${alerts.length} rules found`);
      expect(result.status).toBe(0);
    });

    it('fires each alert on its condition and not before (test/deploy/alert-rules.promtool.yml)', () => {
      const result = promtool('test', 'rules', 'alert-rules.promtool.yml');
      expect(result.stdout + result.stderr).toContain('SUCCESS');
      expect(result.status).toBe(0);
    });
  });
});
