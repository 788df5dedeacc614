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

/** Body of every webhook request. */
export interface WebhookBody<T = unknown> {
  id: string;
  event: WebhookEvent;
  sessionId: string;
  occurredAt: string;
  data: T;
}
