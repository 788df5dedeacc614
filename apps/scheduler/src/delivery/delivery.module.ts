import { Module } from '@nestjs/common';
import { DeliveryRequester } from '@app/messaging';
import { OutboxDelivery } from './outbox-delivery.service';

/** Sending through the outbox and the session's owning worker, for bulk jobs and schedules. */
@Module({
  providers: [OutboxDelivery, DeliveryRequester],
  exports: [OutboxDelivery],
})
export class DeliveryModule {}
