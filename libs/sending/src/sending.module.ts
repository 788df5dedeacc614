import { Module } from '@nestjs/common';
import { DeliveryRequester } from './delivery.requester';
import { SendAcceptor } from './send.acceptor';

/**
 * Accepting sends and waiting for them, for every process that produces messages. Needs the
 * process's DbModule and WorkerRpcClientModule (both global).
 */
@Module({
  providers: [SendAcceptor, DeliveryRequester],
  exports: [SendAcceptor, DeliveryRequester],
})
export class SendingModule {}
