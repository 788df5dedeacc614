import { keepLibsignalJobsInTheirCallersContext } from './whatsapp/libsignal-queue.context';
// Before anything loads Baileys and with it libsignal (see the function).
keepLibsignalJobsInTheirCallersContext();
import { registerMicroserviceLogging } from 'nestjs-pino';
import { SessionWorkerConfig } from '@app/config';
import { workerChannelPrefix } from '@app/contracts';
import { redactSignalLibraryConsole } from '@app/observability';
import { runApp } from '@app/runtime';
import { AddressedRedisServer, redisTransportOptions, RemoteErrorFilter } from '@app/transport';
import { WorkerIdentity } from './registry/worker-identity';
import { SessionWorkerModule } from './session-worker.module';
import { WorkerLifecycle } from './worker-lifecycle.service';

// Baileys' Signal library would print session records, private keys included, on stdout.
redactSignalLibraryConsole();

void runApp({
  name: 'session-worker',
  config: SessionWorkerConfig,
  module: (config) => SessionWorkerModule.register(config, WorkerIdentity.fromConfig(config)),
  listen: (config) => ({ port: config.WORKER_METRICS_PORT, host: config.WORKER_METRICS_HOST }),
  configure: async (app, config) => {
    const server = new AddressedRedisServer(redisTransportOptions(config.REDIS_URL), workerChannelPrefix(config.REDIS_PREFIX, app.get(WorkerIdentity).id));
    // The transport gets its own config (so its error filter never touches HTTP) and, for that
    // reason, has the per-command logging context registered explicitly.
    const transport = app.connectMicroservice({ strategy: server }, { deferInitialization: true });
    registerMicroserviceLogging(transport);
    transport.useGlobalFilters(new RemoteErrorFilter());
    await app.startAllMicroservices();
  },
}).then((app) => app.get(WorkerLifecycle).join());
