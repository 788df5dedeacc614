import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { DbModule, ScheduleRepository } from '@app/db';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { MessageContentBuilder } from '../jobs/message-content.builder';
import { MediaModule } from '../media/media.module';
import { SchedulesController } from './schedules.controller';
import { SchedulesService } from './schedules.service';

@Module({
  imports: [DbModule.forFeature([ScheduleRepository]), MediaModule, IdempotencyModule, BullModule.registerQueue({ name: QUEUES.scheduledMessages })],
  controllers: [SchedulesController],
  providers: [SchedulesService, MessageContentBuilder],
})
export class SchedulesModule {}
