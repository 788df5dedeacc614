import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AgentRunnerConfig, GatewayConfig, LauncherConfig, loadConfigOrExit, SchedulerConfig, SessionWorkerConfig } from '@app/config';
import { addMissingSecrets, ensureDotEnv, loadDotEnv } from './dotenv';
import { preflight } from './preflight';
import { ProcessSupervisor } from './process-supervisor';
import { sandboxAdminKey, sandboxAllowedOrigins, startSandboxSimulator } from './sandbox';
import { appEnvironment, suiteProcesses } from './suite-processes';
import { hasLiveWorkers, waitForOk } from './wait-for-ready';

const log = (line: string) => process.stdout.write(`[launcher] ${line}\n`);

/** `--settings-file <path>` chooses another settings file than the checkout's .env. */
function settingsFileArgument(args: string[]): string | undefined {
  const index = args.indexOf('--settings-file');
  return index >= 0 ? args[index + 1] : undefined;
}

function loadSettings(root: string, args: string[]): void {
  const chosenFile = settingsFileArgument(args);
  if (chosenFile && !existsSync(chosenFile)) {
    log(`settings file ${chosenFile} does not exist`);
    process.exit(1);
  }
  if (!chosenFile && ensureDotEnv(join(root, '.env'), join(root, '.env.example'))) {
    log('created .env from .env.example with freshly generated secrets (edit it to change settings)');
  } else if (!chosenFile) {
    const added = addMissingSecrets(join(root, '.env'), join(root, '.env.example'));
    if (added.length > 0) log(`added new secrets to .env: ${added.join(', ')}`);
  }
  loadDotEnv(chosenFile ?? join(root, '.env'), process.env);
}

/**
 * `npm start` (and `npm run sandbox` with `--sandbox`): checks every app's settings and
 * PostgreSQL and Redis, applies migrations once, then runs every app of the suite as its own
 * process until SIGINT/SIGTERM. The sandbox adds the WhatsApp simulator and points the workers at it.
 */
async function main(): Promise<void> {
  const startedAt = Date.now();
  const args = process.argv.slice(2);
  const sandbox = args.includes('--sandbox');
  const root = resolve(__dirname, '..', '..', '..');
  loadSettings(root, args);
  const launcher = loadConfigOrExit(LauncherConfig, 'launcher');
  const gateway = loadConfigOrExit(GatewayConfig, 'gateway');
  if (sandbox) {
    const admin = sandboxAdminKey(gateway.ADMIN_API_KEY);
    // The children inherit the environment: this is how the generated key reaches the gateway.
    process.env.ADMIN_API_KEY = admin.key;
    if (admin.generated) log(`sandbox: admin key for this run (send it as x-api-key): ${admin.key}`);
    if (gateway.ALLOWED_ORIGINS.length === 0) {
      process.env.ALLOWED_ORIGINS = sandboxAllowedOrigins(gateway.PORT).join(',');
      log(`sandbox: browser apps may call the API from ${process.env.ALLOWED_ORIGINS} (set ALLOWED_ORIGINS to change)`);
    }
  }
  const worker = loadConfigOrExit(SessionWorkerConfig, 'session-worker');
  loadConfigOrExit(AgentRunnerConfig, 'agent-runner');
  loadConfigOrExit(SchedulerConfig, 'scheduler');

  const failures = await preflight(launcher.DATABASE_URL, launcher.REDIS_URL);
  for (const failure of failures) {
    log(`${failure.service} is not answering at ${failure.url}: ${failure.reason}`);
    log(`  start it with: ${failure.howToStart}`);
  }
  if (failures.length > 0) process.exit(1);

  const migrate = spawnSync('npm', ['run', '--silent', 'db:migrate'], { cwd: root, stdio: 'inherit', env: process.env });
  if (migrate.status !== 0) {
    log('database migrations failed; nothing was started');
    process.exit(migrate.status ?? 1);
  }

  const distRoot = join(root, 'dist');
  // Stopping workers hand their sessions over first: kill nothing before that may have finished.
  const supervisor = new ProcessSupervisor(process.stdout, worker.WORKER_DRAIN_GRACE_MS + 5_000);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping every process`);
    void supervisor.stop().then(() => {
      log('all processes stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  let env = appEnvironment(launcher, process.env, process.stdout.isTTY === true);
  if (sandbox) {
    const simulator = await startSandboxSimulator(supervisor, distRoot, env);
    env = { ...env, ...simulator.env };
    log(`sandbox: WhatsApp simulator at ${simulator.controlUrl}/docs (link sessions and exchange messages with no phone)`);
  }
  for (const spec of suiteProcesses(launcher, worker, distRoot, env)) supervisor.start(spec);

  const healthUrl = `http://127.0.0.1:${gateway.PORT}/health`;
  // Ready once every worker it started has joined, so the first requests see the whole suite.
  const readyAfter = await waitForOk(healthUrl, launcher.LAUNCHER_READY_TIMEOUT_MS, hasLiveWorkers(launcher.SESSION_WORKERS));
  if (stopping) return;
  if (readyAfter === null) {
    log(`${healthUrl} did not report healthy within ${launcher.LAUNCHER_READY_TIMEOUT_MS} ms; processes keep running`);
  } else {
    log(`suite ready in ${Date.now() - startedAt} ms: API docs at http://localhost:${gateway.PORT}/docs`);
  }
}

void main();
