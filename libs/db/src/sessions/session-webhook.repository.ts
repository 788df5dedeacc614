import { Injectable, Optional } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import { RowCaches } from '../row-changes/row-caches';

/** Where a session's events are posted. `events` empty means every event. */
export interface WebhookTarget {
  sessionId: string;
  url: string;
  events: string[];
  secretCipher: string | null;
}

export interface WebhookSettings {
  url: string | null;
  events: string[];
  secretCipher: string | null;
}

/** A session's webhook settings (seed 000), read by the dispatcher and written by the API. */
@Injectable()
export class SessionWebhookRepository {
  constructor(
    private readonly prisma: PrismaService,
    @Optional() private readonly caches?: RowCaches,
  ) {}

  async findTarget(sessionId: string): Promise<WebhookTarget | null> {
    const row = await this.prisma.session.findUnique({
      where: { id: sessionId },
      select: { webhookUrl: true, webhookEvents: true, webhookSecretCipher: true },
    });
    if (!row?.webhookUrl) return null;
    return { sessionId, url: row.webhookUrl, events: row.webhookEvents, secretCipher: row.webhookSecretCipher };
  }

  async update(sessionId: string, settings: WebhookSettings): Promise<void> {
    await this.prisma.session.update({
      where: { id: sessionId },
      data: { webhookUrl: settings.url, webhookEvents: settings.events, webhookSecretCipher: settings.secretCipher },
    });
    this.caches?.changed('sessions', sessionId);
  }
}
