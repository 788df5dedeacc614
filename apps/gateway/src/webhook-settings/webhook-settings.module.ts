import { Module } from '@nestjs/common';
import { WebhookSettingsController } from './webhook-settings.controller';
import { WebhookSettingsService } from './webhook-settings.service';

@Module({ controllers: [WebhookSettingsController], providers: [WebhookSettingsService] })
export class WebhookSettingsModule {}
