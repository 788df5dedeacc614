import { Module } from '@nestjs/common';
import { SendingModule } from '@app/sending';
import { ChatOutboxSender } from './chat-outbox.sender';
import { TypingIndicator } from './typing-indicator';

/** Sending from the agent-runner: the session outbox and the owner worker's typing indicator. */
@Module({
  imports: [SendingModule],
  providers: [ChatOutboxSender, TypingIndicator],
  exports: [ChatOutboxSender, TypingIndicator],
})
export class OutboxModule {}
