import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AppConfigModule, GatewayConfig } from '@app/config';
import { CryptoModule } from '@app/crypto';
import { DbModule } from '@app/db';
import { HttpMetricsMiddleware, LoggingModule, metricProviders, MetricsModule } from '@app/observability';
import { RedisModule } from '@app/redis';
import { WorkerRpcClientModule } from '@app/transport';
import { AuthModule } from './auth/auth.module';
import { HealthModule } from './health/health.module';
import { InputScreeningModule } from './input-screening/input-screening.module';
import { JobsModule } from './jobs/jobs.module';
import { MessagesModule } from './messages/messages.module';
import { SchedulesModule } from './schedules/schedules.module';
import { SessionsModule } from './sessions/sessions.module';
import { WorkersModule } from './workers/workers.module';
import { workersLiveMetric } from './workers/workers-live.metric';
import { AgentsModule } from './agents/agents.module';
import { AgentBindingsModule } from './agent-bindings/agent-bindings.module';
import { WebhookSettingsModule } from './webhook-settings/webhook-settings.module';
import { HistoryModule } from './history/history.module';
import { AllowedNumbersModule } from './allowed-numbers/allowed-numbers.module';
import { GroupsModule } from './groups/groups.module';
import { EventsModule } from './events/events.module';
import { PacingModule } from './pacing/pacing.module';

const GATEWAY_SERVICE_NAME = 'gateway';

/** Sessions, accounts and credentials a gateway keeps at most (a few hundred bytes each). */
const ROW_CACHE_ENTRIES = 20_000;

@Module({})
export class GatewayModule implements NestModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        AppConfigModule.forRoot(GatewayConfig, config),
        LoggingModule.forApp(GATEWAY_SERVICE_NAME),
        MetricsModule.forApp(GATEWAY_SERVICE_NAME, [
          ...metricProviders('httpRequestDuration', 'errors', 'liveEventClients', 'liveEventClientsDropped'),
          workersLiveMetric,
        ]),
        DbModule.forRoot(config.ROW_CACHE_TTL_MS > 0 ? { rowCache: { ttlMs: config.ROW_CACHE_TTL_MS, maxEntries: ROW_CACHE_ENTRIES } } : {}),
        // Requests answer 503 at once while Redis is away, instead of waiting ~10 s each.
        RedisModule.forRoot({ failFast: true }),
        WorkerRpcClientModule.forRoot({ timeoutMs: config.WORKER_RPC_TIMEOUT_MS }),
        CryptoModule,
        // Before AuthModule: its guard must run before every other global guard.
        InputScreeningModule,
        AuthModule.register(config),
        HealthModule,
        WorkersModule,
        SessionsModule,
        MessagesModule,
        JobsModule,
        SchedulesModule,
        AgentsModule,
        AgentBindingsModule,
        WebhookSettingsModule,
        PacingModule,
        HistoryModule,
        AllowedNumbersModule,
        GroupsModule,
        EventsModule,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
