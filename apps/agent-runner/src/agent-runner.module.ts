import { DynamicModule, Module } from '@nestjs/common';
import { AgentRunnerConfig, AppConfigModule } from '@app/config';
import { CryptoModule } from '@app/crypto';
import { DbModule } from '@app/db';
import { LoggingModule, metricProviders, MetricsModule } from '@app/observability';
import { RedisModule } from '@app/redis';
import { WorkerRpcClientModule } from '@app/transport';
import { InboundModule } from './inbound/inbound.module';
import { MessageEventsModule } from './message-events/message-events.module';
import { WebhooksModule } from './webhooks/webhooks.module';

const AGENT_RUNNER_SERVICE_NAME = 'agent-runner';

@Module({})
export class AgentRunnerModule {
  static register(config: AgentRunnerConfig): DynamicModule {
    return {
      module: AgentRunnerModule,
      imports: [
        AppConfigModule.forRoot(AgentRunnerConfig, config),
        LoggingModule.forApp(AGENT_RUNNER_SERVICE_NAME),
        MetricsModule.forApp(AGENT_RUNNER_SERVICE_NAME, metricProviders('jobsProcessed', 'aiLatency', 'errors')),
        CryptoModule,
        DbModule.forRoot(),
        RedisModule.forRoot(),
        // Replies, alerts and typing go through the worker that owns the session.
        WorkerRpcClientModule.forRoot({ timeoutMs: config.WORKER_RPC_TIMEOUT_MS }),
        WebhooksModule,
        InboundModule,
        MessageEventsModule,
      ],
    };
  }
}
