import { Module } from '@nestjs/common';
import { HistoryController } from './history.controller';
import { HistoryTrafficRecorder } from './history-traffic.recorder';
import { OnDemandHistoryService } from './on-demand-history.service';
import { PhoneHistoryStore } from './phone-history.store';
import { PhoneMessagesService } from './phone-messages.service';

/**
 * The phones' chat history: kept from their traffic (and seeded through the control API), sent to
 * a new companion in its initial history sync, answered on demand; plus messages typed on a phone.
 */
@Module({
  providers: [PhoneHistoryStore, HistoryTrafficRecorder, OnDemandHistoryService, PhoneMessagesService],
  controllers: [HistoryController],
})
export class HistoryModule {}
