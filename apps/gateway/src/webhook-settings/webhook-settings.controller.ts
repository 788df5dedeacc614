import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SessionScoped } from '../auth/auth.decorators';
import { ErrorEnvelopeDto } from '../errors/error-envelope.dto';
import { ListDeliveriesQueryDto, UpdateWebhookDto, WebhookDeliveryDto, WebhookSettingsDto } from './webhook-settings.dto';
import { WebhookSettingsService } from './webhook-settings.service';

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
      '`x-wagw-event`, `x-wagw-delivery` and (with a secret) `x-wagw-signature`; failures are retried with backoff. The URL must reach a ' +
      'public address (or one in URL_FETCH_ALLOWLIST); redirects are not followed.',
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
}
