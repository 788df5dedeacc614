import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveryRecord {
  id: string;
  eventId: string;
  sessionId: string;
  event: string;
  url: string;
  payload: unknown;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  occurredAt: Date;
  createdAt: Date;
}

export interface NewWebhookDelivery {
  eventId: string;
  sessionId: string;
  event: string;
  url: string;
  payload: object;
  occurredAt: Date;
}

const RECORD = {
  id: true,
  eventId: true,
  sessionId: true,
  event: true,
  url: true,
  payload: true,
  status: true,
  attempts: true,
  lastStatusCode: true,
  lastError: true,
  nextAttemptAt: true,
  deliveredAt: true,
  occurredAt: true,
  createdAt: true,
} as const;

/** Back to the queue: pending, no claim (an attempt in flight may no longer record its outcome), due now. */
const REQUEUED = { status: 'pending', claimedUntil: null, claimToken: null, nextAttemptAt: null } as const;

/**
 * The webhook delivery log: one row per event, updated after every attempt (the attempts
 * themselves are WebhookDeliveryQueue's), and redeliveries on an owner's request.
 */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates the delivery for an event, or returns the existing one when the event is re-processed. */
  async createOnce(delivery: NewWebhookDelivery): Promise<WebhookDeliveryRecord> {
    return this.prisma.webhookDelivery.upsert({
      where: { eventId: delivery.eventId },
      create: { ...delivery, payload: delivery.payload },
      update: {},
      select: RECORD,
    });
  }

  async find(id: string): Promise<WebhookDeliveryRecord | null> {
    return this.prisma.webhookDelivery.findUnique({ where: { id }, select: RECORD });
  }

  async listForSession(sessionId: string, limit: number): Promise<WebhookDeliveryRecord[]> {
    return this.prisma.webhookDelivery.findMany({ where: { sessionId }, orderBy: [{ createdAt: 'desc' }, { seq: 'desc' }], take: limit, select: RECORD });
  }

  /**
   * Sends one delivery of the session again (whatever its state), to the session's current
   * webhook; null when the session has no such delivery. The owner asking is a sign the endpoint
   * is back: its pause ends (one delivery probes it first if it was failing).
   */
  async redeliver(sessionId: string, id: string): Promise<WebhookDeliveryRecord | null> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.webhookDelivery.updateMany({ where: { id, sessionId }, data: REQUEUED });
      if (count === 0) return null;
      const record = await tx.webhookDelivery.findUniqueOrThrow({ where: { id }, select: RECORD });
      await tx.webhookEndpoint.updateMany({ where: { url: record.url }, data: { pausedUntil: null } });
      return record;
    });
  }

  /** Sends every delivery of the session for events since `since` (up to `until`) again, in their order; returns how many. */
  async replay(sessionId: string, since: Date, until: Date | undefined): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const where = { sessionId, occurredAt: { gte: since, ...(until ? { lte: until } : {}) } };
      const urls = await tx.webhookDelivery.findMany({ where, distinct: ['url'], select: { url: true } });
      const { count } = await tx.webhookDelivery.updateMany({ where, data: REQUEUED });
      await tx.webhookEndpoint.updateMany({ where: { url: { in: urls.map(({ url }) => url) } }, data: { pausedUntil: null } });
      return count;
    });
  }
}
