import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { AppConfigModule, SessionWorkerConfig } from '@app/config';
import { QUEUES } from '@app/contracts';
import { AuthStateRepository, DbModule, MediaRepository, OutboundMessageRepository, OutboxSendRepository, SessionRepository } from '@app/db';
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
import { MoveReceiver } from './placement/move-receiver.service';
import { PlacementSignals, WAKE_SUBSCRIBER } from './placement/placement-signals.service';
import { sessionsDisconnectedLongestMetric, sessionsHeldMetric } from './placement/placement.metrics';
import { Rebalancer } from './placement/rebalancer.service';
import { SessionClaimer } from './placement/session-claimer.service';
import { SessionMover } from './placement/session-mover.service';
import { UnplacedSessions } from './placement/unplaced-sessions.service';
import { WorkerHeartbeatService } from './registry/worker-heartbeat.service';
import { WorkerIdentity } from './registry/worker-identity';
import { WorkerStateService } from './registry/worker-state';
import { OfflineSessionCommands } from './sessions/offline-session.commands';
import { SessionCommandsController } from './sessions/session-commands.controller';
import { SessionRuntimeFactory } from './sessions/session-runtime.factory';
import { SessionStatusRecorder } from './sessions/session-status.recorder';
import { SessionSupervisor } from './sessions/session-supervisor.service';
import { BaileysAdapter } from './whatsapp/baileys.adapter';
import { MemorySettler } from './memory/memory-settler.service';
import { WorkerLifecycle } from './worker-lifecycle.service';

const SESSION_WORKER_SERVICE_NAME = 'session-worker';

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
          metricProviders(
            'sessionsActive',
            'sessionReconnects',
            'leaseTakeovers',
            'sessionRestoreDuration',
            'messagesSent',
            'messagesReceived',
            'errors',
            'workerState',
            'sessionMoves',
            'sessionMoveDuration',
            'leaseLosses',
            'sessionsUnplaced',
          ),
        ),
        DbModule.forRoot(),
        DbModule.forFeature([AuthStateRepository, MediaRepository, OutboundMessageRepository, OutboxSendRepository, SessionRepository]),
        RedisModule.forRoot(),
        SendPacingModule,
        BullModule.registerQueue({ name: QUEUES.sessionEvents }, { name: QUEUES.messageEvents }, { name: QUEUES.inboundMessages }),
      ],
      controllers: [WorkerCommandsController, SessionCommandsController, ChatHistoryController],
      providers: [
        { provide: WorkerIdentity, useValue: identity },
        // Pub/sub needs a connection of its own: a subscribed Redis connection can do nothing else.
        { provide: WAKE_SUBSCRIBER, inject: [RedisClient], useFactory: (redis: RedisClient) => redis.duplicate() },
        WorkerStateService,
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
        MoveReceiver,
        UnplacedSessions,
        SessionClaimer,
        SessionMover,
        Rebalancer,
        PlacementSignals,
        WorkerLifecycle,
        MemorySettler,
        // Read from the supervisor at each scrape, so provided here, where the supervisor is.
        sessionsHeldMetric,
        sessionsDisconnectedLongestMetric,
      ],
    };
  }
}
