import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { DeliveryModule } from '../delivery/delivery.module';
import { ScheduleSweeper } from './schedule.sweeper';
import { ScheduledMessageProcessor } from './scheduled-message.processor';
import { ScheduledMessageSender } from './scheduled-message.sender';

@Module({
  imports: [DeliveryModule, BullModule.registerQueue({ name: QUEUES.scheduledMessages })],
  providers: [ScheduledMessageSender, ScheduledMessageProcessor, ScheduleSweeper],
})
export class SchedulesModule {}
