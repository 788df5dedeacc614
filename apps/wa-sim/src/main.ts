import 'reflect-metadata';
import { loadConfigOrExit, WaSimConfig, type LogLevel } from '@app/config';
import type { LogLevel as NestLogLevel } from '@nestjs/common';
import { redactSignalLibraryConsole } from '@app/observability/signal-library-console';
import { startWaSim } from './wa-sim';

const NEST_LEVELS: Record<LogLevel, NestLogLevel[] | false> = {
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  trace: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
  silent: false,
};

// The simulated phones' Signal sessions would otherwise be printed whole at every session change.
redactSignalLibraryConsole();

async function main(): Promise<void> {
  const config = loadConfigOrExit(WaSimConfig, 'wa-sim');
  const sim = await startWaSim({
    stateDir: config.WA_SIM_STATE_DIR,
    port: config.WA_SIM_PORT,
    host: config.WA_SIM_HOST,
    receiptDelayMs: config.WA_SIM_RECEIPT_DELAY_MS,
    logger: NEST_LEVELS[config.LOG_LEVEL],
    mediaPort: config.WA_SIM_MEDIA_PORT,
    mediaHostname: config.WA_SIM_MEDIA_HOSTNAME,
    historySyncMessagesPerChat: config.WA_SIM_HISTORY_SYNC_MESSAGES,
  });
  process.stdout.write(
    `wa-sim ready\n  control API  ${sim.controlUrl}/docs\n  WA_WS_URL    ${sim.wsUrl}\n  WA_TRUSTED_ROOT_PUBLIC_KEY ${sim.rootPublicKeyHex}\n` +
      `  media host   ${sim.mediaUrl}\n  NODE_EXTRA_CA_CERTS ${sim.caCertificatePath}\n`,
  );
  const shutdown = (): void => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
