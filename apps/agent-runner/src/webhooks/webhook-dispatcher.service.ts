import { Injectable } from '@nestjs/common';
import type { WebhookBody, WebhookEvent } from '@app/contracts';
import { WebhookDeliveryRepository } from '@app/db';
import { WebhookPump } from './webhook-pump.service';
import { WebhookTargetResolver } from './webhook-target.resolver';

export interface EventToDispatch<T> {
  /** Stable id of the source event; re-dispatching the same id never makes a second delivery. */
  eventId: string;
  event: WebhookEvent;
  sessionId: string;
  occurredAt: string;
  data: T;
}

/**
 * Turns a session event into a logged webhook delivery when the session (or the installation's
 * global webhook) subscribes to it; the pump sends it, in the session's order.
 */
@Injectable()
export class WebhookDispatcher {
  constructor(
    private readonly targets: WebhookTargetResolver,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly pump: WebhookPump,
  ) {}

  /** Returns the delivery id, or null when the session has no webhook for this event. */
  async dispatch<T>(source: EventToDispatch<T>): Promise<string | null> {
    const target = await this.targets.resolve(source.sessionId);
    if (!target || !WebhookTargetResolver.wants(target, source.event)) return null;
    const body: WebhookBody<T> = {
      id: source.eventId,
      event: source.event,
      sessionId: source.sessionId,
      occurredAt: source.occurredAt,
      data: source.data,
    };
    const occurredAt = new Date(source.occurredAt);
    const delivery = await this.deliveries.createOnce({
      eventId: source.eventId,
      sessionId: source.sessionId,
      event: source.event,
      url: target.url,
      payload: body,
      occurredAt: Number.isNaN(occurredAt.getTime()) ? new Date() : occurredAt,
    });
    this.pump.nudge();
    return delivery.id;
  }
}
