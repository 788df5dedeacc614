import { Module } from '@nestjs/common';
import Redis from 'ioredis';
import { CoreConfig } from '@app/config';
import { DbModule, SessionRepository } from '@app/db';
import { redisOptionsFromUrl } from '@app/redis';
import { EventTicketsModule } from './event-tickets.module';
import { EventsController } from './events.controller';
import { LiveEventAccess } from './live-event.access';
import { LiveEventHub } from './live-event.hub';
import { LiveEventReader } from './live-event.reader';
import { LIVE_EVENTS_BLOCKING_REDIS, LiveEventStream } from './live-event.stream';
import { SessionOwnerCache } from './session-owner.cache';

/** GET /events (Server-Sent Events) and its tickets: one stream reader per process, fanned out in memory. */
@Module({
  imports: [DbModule.forFeature([SessionRepository]), EventTicketsModule],
  controllers: [EventsController],
  providers: [
    {
      provide: LIVE_EVENTS_BLOCKING_REDIS,
      inject: [CoreConfig],
      // Retries forever (no per-command limit): a blocked read must survive a Redis restart.
      useFactory: (config: CoreConfig) =>
        new Redis({ ...redisOptionsFromUrl(config.REDIS_URL), connectionName: 'wagw-live-events', maxRetriesPerRequest: null }),
    },
    LiveEventStream,
    SessionOwnerCache,
    LiveEventAccess,
    LiveEventHub,
    LiveEventReader,
  ],
})
export class EventsModule {}
