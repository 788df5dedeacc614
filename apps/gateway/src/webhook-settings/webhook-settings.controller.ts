import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppError } from '@app/contracts';
import { SessionScoped } from '../credentials/auth.decorators';
import { ErrorEnvelopeDto } from '../errors/error-envelope.dto';
import { ListDeliveriesQueryDto, ReplayDeliveriesDto, ReplayResultDto, UpdateWebhookDto, WebhookDeliveryDto, WebhookSettingsDto } from './webhook-settings.dto';
import { WebhookSettingsService } from './webhook-settings.service';

const invalidDeliveryId = () =>
  new AppError('INVALID_PAYLOAD', 'deliveryId must be a UUID', { fields: [{ field: 'deliveryId', problems: ['must be a UUID'] }] });

@ApiTags('webhooks')
@ApiNotFoundResponse({ type: ErrorEnvelopeDto, description: 'SESSION_NOT_FOUND' })
@Controller('sessions/:id/webhook')
@SessionScoped()
export class WebhookSettingsController {
  constructor(private readonly webhooks: WebhookSettingsService) {}

  @Get()
  @ApiOperation({ summary: "The session's webhook settings (the secret is never shown)" })
  @ApiOkResponse({ type: WebhookSettingsDto })
  get(@Param('id') sessionId: string): Promise<WebhookSettingsDto> {
    return this.webhooks.get(sessionId);
  }

  @Put()
  @ApiOperation({
    summary: "Set the session's webhook: URL, events, signing secret (seed 000)",
    description:
      'Events: `session.status`, `message.received`, `message.status`. Each is POSTed as `{ id, event, sessionId, occurredAt, data }` with ' +
      "`x-wagw-event`, `x-wagw-delivery` and (with a secret) `x-wagw-signature`. A session's events arrive one at a time, in the order they " +
      'happened. A failing endpoint is paused and retried after 10 s, 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h, 8 h, then every 12 h; ' +
      'events wait for it up to ~28 h, then their deliveries are marked failed (redeliver them with …/retry or …/replay). The URL must ' +
      "reach a public address (or one in URL_FETCH_ALLOWLIST); redirects are not followed. Without a webhook of its own, a session's " +
      "events go to the installation's global webhook (WEBHOOK_BASE_URL), if one is set.",
  })
  @ApiOkResponse({ type: WebhookSettingsDto })
  update(@Param('id') sessionId: string, @Body() body: UpdateWebhookDto): Promise<WebhookSettingsDto> {
    return this.webhooks.update(sessionId, body);
  }

  @Get('deliveries')
  @ApiOperation({ summary: 'The latest webhook deliveries of the session, newest first, with attempts and last error' })
  @ApiOkResponse({ type: WebhookDeliveryDto, isArray: true })
  deliveries(@Param('id') sessionId: string, @Query() query: ListDeliveriesQueryDto): Promise<WebhookDeliveryDto[]> {
    return this.webhooks.deliveries(sessionId, query.limit);
  }

  @Post('deliveries/replay')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send every event since a time again (in order)',
    description:
      "Every logged delivery of the session whose event happened at or after `since` (and up to `until`) goes to the session's current webhook again, in the order the events happened; a paused endpoint is tried at once.",
  })
  @ApiAcceptedResponse({ type: ReplayResultDto })
  async replay(@Param('id') sessionId: string, @Body() body: ReplayDeliveriesDto): Promise<ReplayResultDto> {
    return this.webhooks.replay(sessionId, body);
  }

  @Post('deliveries/:deliveryId/retry')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send one delivery again',
    description:
      "Whatever its state (delivered, failed, waiting), the event goes to the session's current webhook again, before the session's later events; a paused endpoint is tried at once.",
  })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  @ApiNotFoundResponse({ type: ErrorEnvelopeDto, description: 'NOT_FOUND: the session has no such delivery' })
  retry(
    @Param('id') sessionId: string,
    @Param('deliveryId', new ParseUUIDPipe({ exceptionFactory: () => invalidDeliveryId() })) deliveryId: string,
  ): Promise<WebhookDeliveryDto> {
    return this.webhooks.retry(sessionId, deliveryId);
  }
}
