import { Module } from '@nestjs/common';
import { AiBackendModule } from '@app/ai-backend';
import { metricProviders } from '@app/observability';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { MessagesModule } from '../messages/messages.module';
import { AgentRunController } from './agent-run.controller';
import { AgentRunService } from './agent-run.service';

@Module({
  imports: [AiBackendModule, MessagesModule, IdempotencyModule],
  controllers: [AgentRunController],
  // The gateway's own metrics list is the lead's; the AI latency is recorded only where agents run.
  providers: [AgentRunService, ...metricProviders('aiLatency')],
})
export class AgentsModule {}
