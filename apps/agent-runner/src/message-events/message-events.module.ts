import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/contracts';
import { HistoryModule } from '../history/history.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { MessageStatusProcessor } from './message-status.processor';

@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.messageEvents }), HistoryModule, WebhooksModule],
  providers: [MessageStatusProcessor],
})
export class MessageEventsModule {}
