import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AiBackendModule } from '@app/ai-backend';
import { QUEUES } from '@app/contracts';
import { HistoryModule } from '../history/history.module';
import { OutboxModule } from '../outbox/outbox.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { AgentResponder } from './agent-responder.service';
import { DeveloperAlertSender } from './developer-alert.sender';
import { InboundMessagesProcessor } from './inbound-messages.processor';
import { InboundProgressStore } from './inbound-progress.store';

@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.inboundMessages }), AiBackendModule, HistoryModule, OutboxModule, WebhooksModule],
  providers: [InboundProgressStore, AgentResponder, DeveloperAlertSender, InboundMessagesProcessor],
})
export class InboundModule {}
