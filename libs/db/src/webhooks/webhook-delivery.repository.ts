import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/client';
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
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface NewWebhookDelivery {
  eventId: string;
  sessionId: string;
  event: string;
  url: string;
  payload: object;
}

export interface AttemptOutcome {
  statusCode: number | null;
  error: string | null;
  nextAttemptAt: Date | null;
}

/** The webhook delivery log: one row per event and target, updated after every attempt. */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates the delivery for an event, or returns the existing one when the event is re-processed. */
  async createOnce(delivery: NewWebhookDelivery): Promise<WebhookDeliveryRecord> {
    return this.prisma.webhookDelivery.upsert({
      where: { eventId: delivery.eventId },
      create: { ...delivery, payload: delivery.payload as Prisma.InputJsonValue },
      update: {},
    });
  }

  async find(id: string): Promise<WebhookDeliveryRecord | null> {
    return this.prisma.webhookDelivery.findUnique({ where: { id } });
  }

  async listForSession(sessionId: string, limit: number): Promise<WebhookDeliveryRecord[]> {
    return this.prisma.webhookDelivery.findMany({ where: { sessionId }, orderBy: { createdAt: 'desc' }, take: limit });
  }

  async markDelivered(id: string, statusCode: number): Promise<void> {
    await this.prisma.webhookDelivery.update({
      where: { id },
      data: { status: 'delivered', attempts: { increment: 1 }, lastStatusCode: statusCode, lastError: null, deliveredAt: new Date(), nextAttemptAt: null },
    });
  }

  /** Records a failed attempt; `final` marks the delivery failed for good. */
  async recordFailure(id: string, outcome: AttemptOutcome, final: boolean): Promise<void> {
    await this.prisma.webhookDelivery.update({
      where: { id },
      data: {
        status: final ? 'failed' : 'pending',
        attempts: { increment: 1 },
        lastStatusCode: outcome.statusCode,
        lastError: outcome.error,
        nextAttemptAt: final ? null : outcome.nextAttemptAt,
      },
    });
  }
}
