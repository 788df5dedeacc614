import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AgentRunnerConfig, sendingConfigOf, type CoreConfig } from '@app/config';
import { QUEUES } from '@app/contracts';
import { DbModule, SessionWebhookRepository, WebhookDeliveryQueue, WebhookDeliveryRepository } from '@app/db';
import { SafeFetchModule } from '@app/safe-fetch';
import { SessionEventsProcessor } from './session-events.processor';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhookHttpClient } from './webhook-http.client';
import { WebhookPump } from './webhook-pump.service';
import { WebhookTargetResolver } from './webhook-target.resolver';

/** The operator's global webhook (WEBHOOK_BASE_URL) is trusted as configured, like AI_BACKEND_URL. */
function allowedDestinations(config: CoreConfig): readonly string[] {
  const base = (config as AgentRunnerConfig).WEBHOOK_BASE_URL;
  return [...sendingConfigOf(config).URL_FETCH_ALLOWLIST, ...(base ? [new URL(base).hostname.replace(/^\[|\]$/g, '')] : [])];
}

@Module({
  imports: [
    DbModule.forFeature([SessionWebhookRepository, WebhookDeliveryQueue, WebhookDeliveryRepository]),
    BullModule.registerQueue({ name: QUEUES.sessionEvents }),
    SafeFetchModule.register(allowedDestinations),
  ],
  providers: [WebhookHttpClient, WebhookTargetResolver, WebhookPump, WebhookDispatcher, SessionEventsProcessor],
  exports: [WebhookDispatcher],
})
export class WebhooksModule {}
