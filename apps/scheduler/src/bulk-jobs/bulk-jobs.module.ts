import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { BulkJobRepository, DbModule, OutboundMessageRepository } from '@app/db';
import { SendPacingModule } from '@app/redis';
import { DeliveryModule } from '../delivery/delivery.module';
import { BulkJobProcessor } from './bulk-job.processor';
import { BulkJobRunner } from './bulk-job.runner';
import { BulkJobSweeper } from './bulk-job.sweeper';

@Module({
  imports: [
    DbModule.forFeature([BulkJobRepository, OutboundMessageRepository]),
    DeliveryModule,
    SendPacingModule,
    BullModule.registerQueue({ name: QUEUES.bulkJobs }),
  ],
  providers: [BulkJobRunner, BulkJobProcessor, BulkJobSweeper],
})
export class BulkJobsModule {}
