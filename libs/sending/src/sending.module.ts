import { Module } from '@nestjs/common';
import { DbModule, OutboundMessageRepository, OutboxSendRepository, SessionRepository } from '@app/db';
import { DeliveryRequester } from './delivery.requester';
import { SendAcceptor } from './send.acceptor';

/**
 * Accepting sends and waiting for them, for every process that produces messages. Needs the
 * process's `DbModule.forRoot()` and WorkerRpcClientModule (both global).
 */
@Module({
  imports: [DbModule.forFeature([OutboundMessageRepository, OutboxSendRepository, SessionRepository])],
  providers: [SendAcceptor, DeliveryRequester],
  exports: [SendAcceptor, DeliveryRequester],
})
export class SendingModule {}
