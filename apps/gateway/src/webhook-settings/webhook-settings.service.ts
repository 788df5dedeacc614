import { Injectable } from '@nestjs/common';
import { AppError } from '@app/contracts';
import { SecretBox } from '@app/crypto';
import { SessionRepository, SessionWebhookRepository, WebhookDeliveryRepository } from '@app/db';
import { WebhookDeliveryDto, type ReplayDeliveriesDto, type ReplayResultDto, type UpdateWebhookDto, type WebhookSettingsDto } from './webhook-settings.dto';

const DEFAULT_DELIVERIES = 50;

/** A session's webhook (seed 000): where events go, which ones, signed with which secret; and its delivery log. */
@Injectable()
export class WebhookSettingsService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly webhooks: SessionWebhookRepository,
    private readonly deliveryLog: WebhookDeliveryRepository,
    private readonly box: SecretBox,
  ) {}

  async get(sessionId: string): Promise<WebhookSettingsDto> {
    const session = await this.sessions.findById(sessionId);
    if (!session) throw new AppError('SESSION_NOT_FOUND', `Session ${sessionId} does not exist`);
    const target = await this.webhooks.findTarget(sessionId);
    return { sessionId, url: session.webhookUrl, events: session.webhookEvents, hasSecret: target?.secretCipher != null };
  }

  async update(sessionId: string, body: UpdateWebhookDto): Promise<WebhookSettingsDto> {
    const current = await this.webhooks.findTarget(sessionId);
    const secretCipher = body.secret === undefined ? (current?.secretCipher ?? null) : body.secret === null ? null : this.box.seal(body.secret);
    const events = [...new Set(body.events ?? [])];
    await this.webhooks.update(sessionId, { url: body.url, events, secretCipher: body.url === null ? null : secretCipher });
    return { sessionId, url: body.url, events, hasSecret: body.url !== null && secretCipher !== null };
  }

  async deliveries(sessionId: string, limit = DEFAULT_DELIVERIES): Promise<WebhookDeliveryDto[]> {
    return (await this.deliveryLog.listForSession(sessionId, limit)).map(WebhookDeliveryDto.from);
  }

  async retry(sessionId: string, deliveryId: string): Promise<WebhookDeliveryDto> {
    const record = await this.deliveryLog.redeliver(sessionId, deliveryId);
    if (!record) throw new AppError('NOT_FOUND', `Session ${sessionId} has no webhook delivery ${deliveryId}`);
    return WebhookDeliveryDto.from(record);
  }

  async replay(sessionId: string, body: ReplayDeliveriesDto): Promise<ReplayResultDto> {
    if (body.until && body.until < body.since)
      throw new AppError('INVALID_PAYLOAD', 'until must not be before since', { fields: [{ field: 'until', problems: ['must not be before since'] }] });
    return { replayed: await this.deliveryLog.replay(sessionId, body.since, body.until) };
  }
}
