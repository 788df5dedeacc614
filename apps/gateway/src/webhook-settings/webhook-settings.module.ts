import { Module } from '@nestjs/common';
import { DbModule, SessionRepository, SessionWebhookRepository, WebhookDeliveryRepository } from '@app/db';
import { WebhookSettingsController } from './webhook-settings.controller';
import { WebhookSettingsService } from './webhook-settings.service';

@Module({
  imports: [DbModule.forFeature([SessionRepository, SessionWebhookRepository, WebhookDeliveryRepository])],
  controllers: [WebhookSettingsController],
  providers: [WebhookSettingsService],
})
export class WebhookSettingsModule {}
