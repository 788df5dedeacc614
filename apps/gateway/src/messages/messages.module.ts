import { Module } from '@nestjs/common';
import { DbModule, OutboundMessageRepository, SessionRepository } from '@app/db';
import { SendingModule } from '@app/sending';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { MediaModule } from '../media/media.module';
import { AgentMessagesController } from './agent-messages.controller';
import { MessagesService } from './messages.service';
import { SessionMessagesController } from './session-messages.controller';

@Module({
  imports: [DbModule.forFeature([OutboundMessageRepository, SessionRepository]), MediaModule, IdempotencyModule, SendingModule],
  controllers: [AgentMessagesController, SessionMessagesController],
  providers: [MessagesService],
  exports: [MessagesService],
})
export class MessagesModule {}
