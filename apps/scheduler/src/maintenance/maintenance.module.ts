import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { TempFilesCleaner } from '../cleanup/temp-files.cleaner';
import { MaintenanceScheduleService } from './maintenance-schedule.service';
import { MaintenanceProcessor } from './maintenance.processor';
import { QueueDepthReporter } from './queue-depth.reporter';
import { StoredDataPurger } from './stored-data.purger';

@Module({
  imports: [
    BullModule.registerQueue({ name: QUEUES.maintenance }),
    // Only for their depths (queue_jobs); their work is done by BulkJobsModule and SchedulesModule.
    BullModule.registerQueue({ name: QUEUES.bulkJobs }, { name: QUEUES.scheduledMessages }),
  ],
  providers: [TempFilesCleaner, StoredDataPurger, MaintenanceProcessor, MaintenanceScheduleService, QueueDepthReporter],
})
export class MaintenanceModule {}
