import { Module } from '@nestjs/common';
import { DbModule, OutboundMessageRepository } from '@app/db';
import { SendingModule } from '@app/sending';
import { OutboxDelivery } from './outbox-delivery.service';

/** Sending through the outbox and the session's owning worker, for bulk jobs and schedules. */
@Module({
  imports: [DbModule.forFeature([OutboundMessageRepository]), SendingModule],
  providers: [OutboxDelivery],
  exports: [OutboxDelivery],
})
export class DeliveryModule {}
