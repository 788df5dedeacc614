import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule, SchedulerConfig } from '@app/config';
import { DbModule } from '@app/db';
import { LoggingModule, metricProviders, MetricsModule } from '@app/observability';
import { RedisModule } from '@app/redis';
import { WorkerRpcClientModule } from '@app/transport';
import { BulkJobsModule } from './bulk-jobs/bulk-jobs.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { SchedulesModule } from './schedules/schedules.module';

const SCHEDULER_SERVICE_NAME = 'scheduler';

@Module({})
export class SchedulerModule {
  static register(config: SchedulerConfig): DynamicModule {
    return {
      module: SchedulerModule,
      imports: [
        AppConfigModule.forRoot(SchedulerConfig, config),
        LoggingModule.forApp(SCHEDULER_SERVICE_NAME),
        MetricsModule.forApp(SCHEDULER_SERVICE_NAME, metricProviders('jobsProcessed', 'tempFilesRemoved', 'errors', 'queueJobs')),
        DbModule.forRoot(),
        RedisModule.forRoot(),
        // Bulk jobs and schedules ask the session's owning worker to deliver what they put in the outbox.
        WorkerRpcClientModule.forRoot({ timeoutMs: config.WORKER_RPC_TIMEOUT_MS }),
        MaintenanceModule,
        BulkJobsModule,
        SchedulesModule,
      ],
    };
  }
}
