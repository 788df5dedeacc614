import { QUEUES } from './queues';

/**
 * Event names a webhook can subscribe to. They appear in customers' configurations and in the
 * `event` field of every webhook body: never rename.
 */
export const WEBHOOK_EVENTS = {
  sessionStatus: 'session.status',
  /** A session received a message (data: InboundMessageEvent). */
  messageReceived: 'message.received',
  /** A sent message changed delivery status: sent, delivered, read, failed (data: MessageStatusChangedEvent). */
  messageStatus: 'message.status',
} as const;

export const WEBHOOK_EVENT_NAMES: readonly WebhookEvent[] = Object.values(WEBHOOK_EVENTS);

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[keyof typeof WEBHOOK_EVENTS];

/** Headers of every webhook request. */
export const WEBHOOK_HEADERS = {
  event: 'x-wagw-event',
  delivery: 'x-wagw-delivery',
  signature: 'x-wagw-signature',
} as const;

/** The envelope of every event sent to customers: webhook bodies and live events (GET /events) alike. */
export interface EventEnvelope<E extends string = string, T = unknown> {
  id: string;
  event: E;
  sessionId: string;
  occurredAt: string;
  data: T;
}

/** Body of every webhook request. */
export type WebhookBody<T = unknown> = EventEnvelope<WebhookEvent, T>;

/**
 * The envelope id of each event, the same for its webhook delivery and its live event, and stable
 * per source event: a repeat (a retried job, a redelivered message) carries the same id.
 */
export const eventEnvelopeIds = {
  sessionStatus: (event: { eventId: string }): string => `${QUEUES.sessionEvents}:${event.eventId}`,
  messageReceived: (event: { sessionId: string; waMessageId: string }): string => `message.received:${event.sessionId}:${event.waMessageId}`,
  messageStatus: (event: { outboundId: string; status: string }): string => `message.status:${event.outboundId}:${event.status}`,
} as const;
