import {
  eventEnvelopeIds,
  LIVE_EVENTS,
  type InboundMessageEvent,
  type JobProgressEvent,
  type LiveEvent,
  type MessageStatusChangedEvent,
  type SessionQrEvent,
  type SessionStatusChangedEvent,
} from '@app/contracts';

/**
 * The live event of each source event, with the same envelope id and time as its webhook, so a
 * client following both can tell they are one event. Pure, so a caller can build a batch and hand
 * it to LiveEventPublisher.publish in one call.
 */
export const liveEventOf = {
  sessionStatus: (event: SessionStatusChangedEvent): LiveEvent<'session.status'> => ({
    id: eventEnvelopeIds.sessionStatus(event),
    event: LIVE_EVENTS.sessionStatus,
    sessionId: event.sessionId,
    occurredAt: event.at,
    data: event,
  }),

  /** A new QR value, shown since `at`. */
  qr: (sessionId: string, qr: string, at: Date = new Date()): LiveEvent<'session.qr'> =>
    qrEvent({ sessionId, kind: 'qr', qr, pairingCode: null, phone: null, at: at.toISOString() }),

  pairingCode: (sessionId: string, phone: string, code: string, at: Date = new Date()): LiveEvent<'session.qr'> =>
    qrEvent({ sessionId, kind: 'pairing_code', qr: null, pairingCode: code, phone, at: at.toISOString() }),

  messageReceived: (event: InboundMessageEvent): LiveEvent<'message.received'> => ({
    id: eventEnvelopeIds.messageReceived(event),
    event: LIVE_EVENTS.messageReceived,
    sessionId: event.sessionId,
    occurredAt: event.sentAt,
    data: event,
  }),

  messageStatus: (event: MessageStatusChangedEvent): LiveEvent<'message.status'> => ({
    id: eventEnvelopeIds.messageStatus(event),
    event: LIVE_EVENTS.messageStatus,
    sessionId: event.sessionId,
    occurredAt: event.at,
    data: event,
  }),

  jobProgress: (event: JobProgressEvent): LiveEvent<'job.progress'> => ({
    id: `job.progress:${event.jobId}:${event.currentIndex}:${event.status}`,
    event: LIVE_EVENTS.jobProgress,
    sessionId: event.sessionId,
    occurredAt: event.at,
    data: event,
  }),
} as const;

function qrEvent(data: SessionQrEvent): LiveEvent<'session.qr'> {
  return {
    id: `session.qr:${data.sessionId}:${data.kind}:${Date.parse(data.at)}`,
    event: LIVE_EVENTS.sessionQr,
    sessionId: data.sessionId,
    occurredAt: data.at,
    data,
  };
}
