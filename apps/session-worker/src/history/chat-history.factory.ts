import { Injectable } from '@nestjs/common';
import { SessionWorkerConfig } from '@app/config';
import { PhoneMessagePublisher } from './phone-message.publisher';
import { SessionChatHistory } from './session-chat-history';

/** Builds the chat history of a session runtime, with this worker's limits and publisher. */
@Injectable()
export class ChatHistoryFactory {
  constructor(
    private readonly publisher: PhoneMessagePublisher,
    private readonly config: SessionWorkerConfig,
  ) {}

  create(sessionId: string): SessionChatHistory {
    const limits = { messagesPerChat: this.config.CHAT_STORE_MESSAGES_PER_CHAT, chats: this.config.CHAT_STORE_CHATS };
    return new SessionChatHistory(sessionId, limits, this.publisher);
  }
}
