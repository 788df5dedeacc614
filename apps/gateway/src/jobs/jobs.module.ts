import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { BulkJobRepository, DbModule, OutboundMessageRepository } from '@app/db';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { MediaModule } from '../media/media.module';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';
import { MessageContentBuilder } from './message-content.builder';

@Module({
  imports: [
    DbModule.forFeature([BulkJobRepository, OutboundMessageRepository]),
    MediaModule,
    IdempotencyModule,
    BullModule.registerQueue({ name: QUEUES.bulkJobs }),
  ],
  controllers: [JobsController],
  providers: [JobsService, MessageContentBuilder],
})
export class JobsModule {}
