import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { BulkJobRepository, DbModule, IdempotencyRepository, MediaRepository } from '@app/db';
import { TempFilesCleaner } from '../cleanup/temp-files.cleaner';
import { MaintenanceScheduleService } from './maintenance-schedule.service';
import { MaintenanceProcessor } from './maintenance.processor';
import { QueueDepthReporter } from './queue-depth.reporter';
import { StoredDataPurger } from './stored-data.purger';

@Module({
  imports: [
    DbModule.forFeature([BulkJobRepository, IdempotencyRepository, MediaRepository]),
    // Every queue, for its depth (queue_jobs); the scheduler itself works only on maintenance here.
    BullModule.registerQueue(...Object.values(QUEUES).map((name) => ({ name }))),
  ],
  providers: [TempFilesCleaner, StoredDataPurger, MaintenanceProcessor, MaintenanceScheduleService, QueueDepthReporter],
})
export class MaintenanceModule {}
