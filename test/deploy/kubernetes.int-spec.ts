import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as prometheusOperator from '@kubernetes-models/prometheus-operator';
import * as kubernetes from 'kubernetes-models';
import { parseAllDocuments } from 'yaml';
import { SessionWorkerConfig } from '@app/config';
import type { UntypedJson } from '../support/untyped-json';

const ROOT = join(__dirname, '..', '..');

/** Settings of .env.example that belong to `npm start` / `npm run sandbox`, or are set per pod. */
const NOT_IN_CONFIGMAP: Record<string, string> = {
  SESSION_WORKERS: 'the launcher starts workers; Kubernetes scales the session-worker Deployment',
  LAUNCHER_READY_TIMEOUT_MS: 'launcher only',
  WA_SIM_PORT: 'sandbox simulator only',
  WA_SIM_MEDIA_PORT: 'sandbox simulator only',
  WA_SIM_STATE_DIR: 'sandbox simulator only',
  WA_SIM_HISTORY_SYNC_MESSAGES: 'sandbox simulator only',
  WORKER_ID: 'each worker pod sets it to its own name',
};
/** Names that hold secrets: they must be in the Secret and never in the ConfigMap. */
const isSecretName = (name: string) => /(_SECRET|_TOKEN|_API_KEY|PASSWORD|^ENCRYPTION_KEY|^DATABASE_URL|^REDIS_URL)$/.test(name);

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  /** Objects of many kinds: their schemas check them, the tests read the fields they need. */
  spec?: UntypedJson;
  data?: Record<string, string>;
}
type ModelClass = (new (data: unknown) => { validate(): void }) & { apiVersion: string; kind: string };

/** Every model class of the kubernetes-models packages, by `apiVersion/kind`. */
function modelsByType(): Map<string, ModelClass> {
  const models = new Map<string, ModelClass>();
  const visit = (namespace: unknown, depth: number): void => {
    for (const value of Object.values(namespace as Record<string, unknown>)) {
      if (typeof value === 'function' && 'apiVersion' in value && 'kind' in value) {
        const model = value as ModelClass;
        models.set(`${model.apiVersion}/${model.kind}`, model);
      } else if (value && typeof value === 'object' && depth < 2) visit(value, depth + 1);
    }
  };
  visit(kubernetes, 0);
  visit(prometheusOperator, 0);
  return models;
}

/** The schema problems of one object (`[]` when valid), or that no schema knows its kind. */
function schemaProblems(models: Map<string, ModelClass>, object: K8sObject): string[] {
  const where = `${object.kind}/${object.metadata.name}`;
  const Model = models.get(`${object.apiVersion}/${object.kind}`);
  if (!Model) return [`${where}: no schema for ${object.apiVersion} ${object.kind}`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    const details = (error as { errors?: { instancePath: string; message: string }[] }).errors;
    return details ? details.map((detail) => `${where}${detail.instancePath}: ${detail.message}`) : [`${where}: ${(error as Error).message}`];
  }
}

const envNames = (text: string) => [...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]);

/** The base's sources, checked without kubectl: the rendered objects are checked below where it is installed. */
describe('Kubernetes settings sources (deploy/base/settings.env, secrets.env)', () => {
  const read = (path: string) => envNames(readFileSync(join(ROOT, path), 'utf8'));

  it('name every setting of .env.example once, secrets only in secrets.env', () => {
    const settings = read('deploy/base/settings.env');
    const secrets = read('deploy/base/secrets.env');
    const expected = read('.env.example').filter((name) => !(name in NOT_IN_CONFIGMAP));
    expect([...settings, ...secrets].sort()).toEqual([...expected].sort());
    expect(secrets.sort()).toEqual(expected.filter(isSecretName).sort());
  });
});

const kubectlInstalled = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
if (!kubectlInstalled) console.warn('kubectl is not installed: the Kubernetes manifests are not rendered or validated in this run');

/**
 * deploy/overlays/example rendered with `kubectl kustomize` (kustomize built in; no cluster needed),
 * every object validated against the Kubernetes and Prometheus Operator schemas, then what running
 * the suite needs of them. Needs kubectl, which this machine kind has; skipped where it is absent.
 */
(kubectlInstalled ? describe : describe.skip)('Kubernetes manifests (kubectl kustomize; skipped where kubectl is absent)', () => {
  const models = modelsByType();
  const testSecrets = {
    DATABASE_URL: 'postgresql://wagw:secret@postgres:5432/wagw',
    REDIS_URL: 'redis://:secret@redis:6379',
    ENCRYPTION_KEY: 'a'.repeat(64),
    JWT_SECRET: 'b'.repeat(64),
    METRICS_TOKEN: 'c'.repeat(32),
  };
  let objects: K8sObject[];

  const find = (kind: string, name: string): K8sObject => {
    const object = objects.find((candidate) => candidate.kind === kind && candidate.metadata.name.startsWith(name));
    if (!object) throw new Error(`${kind} ${name} is not rendered`);
    return object;
  };
  const podSpec = (name: string) => find('Deployment', name).spec.template.spec;
  const container = (name: string) => podSpec(name).containers[0];
  const configMap = () => find('ConfigMap', 'wagw-settings-');
  const secret = () => find('Secret', 'wagw-secrets-');
  const setting = <K extends keyof SessionWorkerConfig>(name: K): number =>
    Number(configMap().data?.[name] || new SessionWorkerConfig()[name]);

  beforeAll(() => {
    // The overlay reads its secrets from a git-ignored secrets.env: render a copy with test values.
    const copy = join(mkdtempSync(join(tmpdir(), 'wagw-deploy-')), 'deploy');
    cpSync(join(ROOT, 'deploy'), copy, { recursive: true });
    writeFileSync(join(copy, 'overlays', 'example', 'secrets.env'), Object.entries(testSecrets).map(([name, value]) => `${name}=${value}\n`).join(''));
    const rendered = execFileSync('kubectl', ['kustomize', join(copy, 'overlays', 'example')], { encoding: 'utf8' });
    objects = parseAllDocuments(rendered).map((document) => document.toJS() as K8sObject);
    // kustomize wraps long base64 values over lines, which the API server's decoder skips; the
    // schema's `byte` format does not, so the values are compared as the server reads them.
    for (const object of objects.filter((candidate) => candidate.kind === 'Secret')) {
      object.data = Object.fromEntries(Object.entries(object.data ?? {}).map(([name, value]) => [name, value.replace(/\s/g, '')]));
    }
  });

  it('reports objects that break their schema or have no schema (the check below can fail)', () => {
    const broken = structuredClone(find('Deployment', 'gateway'));
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(schemaProblems(models, broken)).toEqual(['Deployment/gateway/spec/template/spec/containers/0/ports/0/containerPort: must be integer']);
    expect(schemaProblems(models, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual(['Widget/w: no schema for example.com/v1 Widget']);
  });

  it('renders only objects valid against the Kubernetes and Prometheus Operator schemas', () => {
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.flatMap((object) => schemaProblems(models, object))).toEqual([]);
  });

  it('runs the gateway, session workers, agent-runner, scheduler and a migration, with monitoring', () => {
    const kinds = objects.map((object) => `${object.kind}/${object.metadata.name.replace(/-[a-z0-9]{10}$/, '')}`).sort();
    expect(kinds).toEqual(
      [
        'Namespace/wagw', 'ConfigMap/wagw-settings', 'ConfigMap/wagw-grafana-dashboard', 'Secret/wagw-secrets',
        'Deployment/gateway', 'Service/gateway', 'Deployment/session-worker', 'PodDisruptionBudget/session-worker',
        'HorizontalPodAutoscaler/session-worker', 'Deployment/agent-runner', 'Deployment/scheduler', 'Job/db-migrate',
        'PodMonitor/gateway', 'PodMonitor/session-worker', 'PodMonitor/agent-runner', 'PodMonitor/scheduler',
        'PrometheusRule/wa-gateway-alerts',
      ].sort(),
    );
    for (const object of objects.filter((candidate) => candidate.kind !== 'Namespace')) expect(`${object.kind}/${object.metadata.name} in ${object.metadata.namespace}`).toMatch(/ in wagw$/);
    expect(find('Job', 'db-migrate').spec.template.spec.containers[0].command).toEqual(['npm', 'run', 'db:migrate']);
  });

  it('gives every process the settings and secrets, and the overlay image', () => {
    const workloads = objects.filter((object) => object.kind === 'Deployment' || object.kind === 'Job');
    for (const workload of workloads) {
      const spec = workload.spec.template.spec;
      expect({ name: workload.metadata.name, envFrom: spec.containers[0].envFrom, image: spec.containers[0].image }).toEqual({
        name: workload.metadata.name,
        envFrom: [{ configMapRef: { name: configMap().metadata.name } }, { secretRef: { name: secret().metadata.name } }],
        image: 'registry.example.com/wa-gateway:0.1.0',
      });
    }
  });

  it('carries every setting of .env.example: secrets in the Secret, the rest in the ConfigMap', () => {
    const inConfigMap = Object.keys(configMap().data ?? {});
    const inSecret = Object.keys(secret().data ?? {});
    const expected = envNames(readFileSync(join(ROOT, '.env.example'), 'utf8')).filter((name) => !(name in NOT_IN_CONFIGMAP));
    expect(expected.filter((name) => !inConfigMap.includes(name) && !inSecret.includes(name))).toEqual([]);
    expect(expected.filter(isSecretName).sort()).toEqual([...inSecret].sort());
    expect(inConfigMap.filter(isSecretName)).toEqual([]);
    expect(Object.keys(NOT_IN_CONFIGMAP).filter((name) => inConfigMap.includes(name) || inSecret.includes(name))).toEqual([]);
    // The overlay's secrets are merged over the base's blank names.
    for (const [name, value] of Object.entries(testSecrets)) expect(Buffer.from(secret().data![name], 'base64').toString()).toBe(value);
  });

  it('serves the gateway behind a Service, ready on /health and alive on /health/live', () => {
    const gateway = container('gateway');
    const http = gateway.ports.find((port: { name: string }) => port.name === 'http');
    expect(http.containerPort).toBe(Number(configMap().data!.PORT));
    expect(gateway.readinessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(gateway.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(find('Service', 'gateway').spec).toMatchObject({ selector: { 'app.kubernetes.io/name': 'gateway' }, ports: [{ targetPort: 'http' }] });
  });

  it('runs session workers named after their pods, drained within the termination grace period, one disruption at a time', () => {
    const worker = podSpec('session-worker');
    expect(find('Deployment', 'session-worker').spec).not.toHaveProperty('replicas');
    expect(worker.containers[0].env).toContainEqual({ name: 'WORKER_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
    expect(worker.terminationGracePeriodSeconds * 1_000).toBeGreaterThan(setting('WORKER_DRAIN_GRACE_MS'));
    expect(worker.containers[0].ports).toEqual([{ name: 'metrics', containerPort: setting('WORKER_METRICS_PORT') }]);
    const budget = find('PodDisruptionBudget', 'session-worker').spec;
    expect(budget.maxUnavailable).toBe(1);
    expect(find('Deployment', 'session-worker').spec.template.metadata.labels).toMatchObject(budget.selector.matchLabels);
  });

  it('scales session workers on sessions per worker, aiming below WORKER_CAPACITY', () => {
    const hpa = find('HorizontalPodAutoscaler', 'session-worker').spec;
    expect(hpa.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'session-worker' });
    expect(hpa.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.metrics).toEqual([{ type: 'Pods', pods: { metric: { name: 'sessions_held' }, target: { type: 'AverageValue', averageValue: expect.any(String) } } }]);
    expect(Number(hpa.metrics[0].pods.target.averageValue)).toBeLessThan(setting('WORKER_CAPACITY'));
  });

  it('scrapes every process with a PodMonitor on a port its pods expose, the gateway with METRICS_TOKEN', () => {
    for (const name of ['gateway', 'session-worker', 'agent-runner', 'scheduler']) {
      const monitor = find('PodMonitor', name).spec;
      const pods = find('Deployment', name).spec.template;
      expect(pods.metadata.labels).toMatchObject(monitor.selector.matchLabels);
      expect(monitor.jobLabel).toBe('app.kubernetes.io/name');
      expect(pods.metadata.labels['app.kubernetes.io/name']).toBe(name);
      const portNames = pods.spec.containers[0].ports.map((port: { name: string }) => port.name);
      expect(monitor.podMetricsEndpoints.map((endpoint: { port: string; path: string }) => endpoint.path)).toEqual(['/metrics']);
      expect(portNames).toContain(monitor.podMetricsEndpoints[0].port);
    }
    expect(find('PodMonitor', 'gateway').spec.podMetricsEndpoints[0].authorization).toEqual({
      type: 'Bearer',
      credentials: { name: secret().metadata.name, key: 'METRICS_TOKEN' },
    });
  });

  it('ships the Grafana dashboard for the dashboard sidecar', () => {
    const dashboard = find('ConfigMap', 'wagw-grafana-dashboard');
    expect(dashboard.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
    expect(JSON.parse(dashboard.data!['wa-gateway-dashboard.json'])).toMatchObject({ uid: 'wa-gateway' });
  });
});
