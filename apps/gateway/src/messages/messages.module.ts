import { Module } from '@nestjs/common';
import { DeliveryRequester } from '@app/messaging';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { MediaModule } from '../media/media.module';
import { AgentMessagesController } from './agent-messages.controller';
import { MessagesService } from './messages.service';
import { SessionMessagesController } from './session-messages.controller';

@Module({
  imports: [MediaModule, IdempotencyModule],
  controllers: [AgentMessagesController, SessionMessagesController],
  providers: [MessagesService, DeliveryRequester],
  exports: [MessagesService],
})
export class MessagesModule {}
