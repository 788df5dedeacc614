import { Module } from '@nestjs/common';
import { DeliveryRequester } from '@app/messaging';
import { ChatOutboxSender } from './chat-outbox.sender';
import { TypingIndicator } from './typing-indicator';

/** Sending from the agent-runner: the session outbox and the owner worker's typing indicator. */
@Module({
  providers: [ChatOutboxSender, TypingIndicator, DeliveryRequester],
  exports: [ChatOutboxSender, TypingIndicator],
})
export class OutboxModule {}
