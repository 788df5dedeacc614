import { ApiProperty } from '@nestjs/swagger';
import { LIVE_EVENTS, type LiveEventName, type LiveStreamGap, type LiveStreamReady } from '@app/contracts';
import {
  InboundMessageEventDataDto,
  JobProgressEventDataDto,
  MessageStatusEventDataDto,
  SessionQrEventDataDto,
  SessionStatusEventDataDto,
} from './live-event-data.dto';

type DataClass = new () => object;

/**
 * The envelope schema of one event name: the webhooks' body (`id`, `event`, `sessionId`,
 * `occurredAt`, `data`), with `event` fixed to the name so the stream's oneOf has a discriminator.
 */
function envelopeOf<E extends LiveEventName>(event: E, data: DataClass, description: string) {
  class Envelope {
    @ApiProperty({ description: "The event's own id, the same as its webhook delivery's (not the SSE id, which is its stream position)" })
    id!: string;

    @ApiProperty({ enum: [event], description })
    event!: E;

    @ApiProperty({ example: 'support-bot' })
    sessionId!: string;

    @ApiProperty({ format: 'date-time' })
    occurredAt!: string;

    @ApiProperty({ type: data })
    data!: object;
  }
  return Envelope;
}

class SessionStatusLiveEventDto extends envelopeOf(LIVE_EVENTS.sessionStatus, SessionStatusEventDataDto, "A session's status changed") {}
class SessionQrLiveEventDto extends envelopeOf(LIVE_EVENTS.sessionQr, SessionQrEventDataDto, 'A new QR value, or a pairing code') {}
class MessageReceivedLiveEventDto extends envelopeOf(LIVE_EVENTS.messageReceived, InboundMessageEventDataDto, 'A session received a message') {}
class MessageStatusLiveEventDto extends envelopeOf(LIVE_EVENTS.messageStatus, MessageStatusEventDataDto, "A sent message's delivery status changed") {}
class JobProgressLiveEventDto extends envelopeOf(LIVE_EVENTS.jobProgress, JobProgressEventDataDto, 'A bulk job advanced or ended') {}

export class LiveStreamGapDto implements LiveStreamGap {
  @ApiProperty({ description: "The Last-Event-ID the client resumed from; events after it up to this message's id are gone" })
  lastEventId!: string;
}

export class LiveStreamReadyDto implements LiveStreamReady {
  @ApiProperty({ description: 'The stream follows live events after this id (a reconnect resumes from it)', example: '1767225600000-0' })
  lastEventId!: string;
}

/** The schema of each event the stream carries, by event name (the discriminator's mapping). */
export const LIVE_EVENT_SCHEMAS: Record<LiveEventName, DataClass> = {
  'session.status': SessionStatusLiveEventDto,
  'session.qr': SessionQrLiveEventDto,
  'message.received': MessageReceivedLiveEventDto,
  'message.status': MessageStatusLiveEventDto,
  'job.progress': JobProgressLiveEventDto,
};
