import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { sendingConfigOf } from '@app/config';
import { QUEUES } from '@app/contracts';
import { SafeFetchModule } from '@app/messaging';
import { SessionEventsProcessor } from './session-events.processor';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhookHttpClient } from './webhook-http.client';

@Module({
  imports: [
    BullModule.registerQueue({ name: QUEUES.sessionEvents }, { name: QUEUES.webhookDeliveries }),
    SafeFetchModule.register((config) => sendingConfigOf(config).URL_FETCH_ALLOWLIST),
  ],
  providers: [WebhookHttpClient, WebhookDispatcher, SessionEventsProcessor, WebhookDeliveryProcessor],
  exports: [WebhookDispatcher],
})
export class WebhooksModule {}
