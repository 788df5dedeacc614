import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { DbModule, ScheduleRepository } from '@app/db';
import { DeliveryModule } from '../delivery/delivery.module';
import { ScheduleSweeper } from './schedule.sweeper';
import { ScheduledMessageProcessor } from './scheduled-message.processor';
import { ScheduledMessageSender } from './scheduled-message.sender';

@Module({
  imports: [DbModule.forFeature([ScheduleRepository]), DeliveryModule, BullModule.registerQueue({ name: QUEUES.scheduledMessages })],
  providers: [ScheduledMessageSender, ScheduledMessageProcessor, ScheduleSweeper],
})
export class SchedulesModule {}
