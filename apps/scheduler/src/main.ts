import { SchedulerConfig } from '@app/config';
import { runApp } from '@app/runtime';
import { SchedulerModule } from './scheduler.module';

void runApp({
  name: 'scheduler',
  config: SchedulerConfig,
  module: (config) => SchedulerModule.register(config),
  listen: (config) => ({ port: config.SCHEDULER_METRICS_PORT, host: config.SCHEDULER_METRICS_HOST }),
});
