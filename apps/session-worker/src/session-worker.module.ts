import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule, SessionWorkerConfig } from '@app/config';
import { QUEUES } from '@app/contracts';
import { DbModule } from '@app/db';
import { LoggingModule, metricProviders, MetricsModule } from '@app/observability';
import { RedisClient, RedisModule, SendPacingModule } from '@app/redis';
import { WorkerCommandsController } from './commands/worker-commands.controller';
import { ChatHistoryController } from './history/chat-history.controller';
import { ChatHistoryFactory } from './history/chat-history.factory';
import { PhoneMessagePublisher } from './history/phone-message.publisher';
import { InboundPublisher } from './inbound/inbound.publisher';
import { AuthKeyWriter } from './auth-state/auth-key.writer';
import { MessageEventsPublisher } from './outbox/message-events.publisher';
import { OutboxDrainerFactory } from './outbox/outbox-drainer.factory';
import { OutboxSweeper } from './outbox/outbox-sweeper.service';
import { OutboxWriter } from './outbox/outbox.writer';
import { LeaseKeeper } from './placement/lease-keeper.service';
import { SessionClaimer, WAKE_SUBSCRIBER } from './placement/session-claimer.service';
import { WorkerHeartbeatService } from './registry/worker-heartbeat.service';
import { WorkerIdentity } from './registry/worker-identity';
import { OfflineSessionCommands } from './sessions/offline-session.commands';
import { SessionCommandsController } from './sessions/session-commands.controller';
import { SessionRuntimeFactory } from './sessions/session-runtime.factory';
import { SessionStatusRecorder } from './sessions/session-status.recorder';
import { SessionSupervisor } from './sessions/session-supervisor.service';
import { BaileysAdapter } from './whatsapp/baileys.adapter';
import { MemorySettler } from './memory/memory-settler.service';
import { WorkerLifecycle } from './worker-lifecycle.service';

export const SESSION_WORKER_SERVICE_NAME = 'session-worker';

@Module({})
export class SessionWorkerModule {
  static register(config: SessionWorkerConfig, identity: WorkerIdentity): DynamicModule {
    return {
      module: SessionWorkerModule,
      imports: [
        AppConfigModule.forRoot(SessionWorkerConfig, config),
        LoggingModule.forApp(SESSION_WORKER_SERVICE_NAME),
        MetricsModule.forApp(
          SESSION_WORKER_SERVICE_NAME,
          metricProviders('sessionsActive', 'sessionReconnects', 'leaseTakeovers', 'sessionRestoreDuration', 'messagesSent', 'messagesReceived', 'errors'),
        ),
        DbModule.forRoot(),
        RedisModule.forRoot(),
        SendPacingModule,
        BullModule.registerQueue({ name: QUEUES.sessionEvents }, { name: QUEUES.messageEvents }, { name: QUEUES.inboundMessages }),
      ],
      controllers: [WorkerCommandsController, SessionCommandsController, ChatHistoryController],
      providers: [
        { provide: WorkerIdentity, useValue: identity },
        // Pub/sub needs a connection of its own: a subscribed Redis connection can do nothing else.
        { provide: WAKE_SUBSCRIBER, inject: [RedisClient], useFactory: (redis: RedisClient) => redis.duplicate() },
        WorkerHeartbeatService,
        BaileysAdapter,
        SessionStatusRecorder,
        AuthKeyWriter,
        MessageEventsPublisher,
        InboundPublisher,
        PhoneMessagePublisher,
        ChatHistoryFactory,
        OutboxWriter,
        OutboxDrainerFactory,
        OutboxSweeper,
        SessionRuntimeFactory,
        SessionSupervisor,
        OfflineSessionCommands,
        LeaseKeeper,
        SessionClaimer,
        WorkerLifecycle,
        MemorySettler,
      ],
    };
  }
}
