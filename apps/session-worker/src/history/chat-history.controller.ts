import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { WORKER_COMMANDS, type ChatHistoryPage, type ChatHistoryRequest } from '@app/contracts';
import { SessionSupervisor } from '../sessions/session-supervisor.service';

/**
 * Seed 002 chat history of a session this worker holds (the gateway asks the holder only: the
 * history lives with the connection, there is nothing to claim a session for).
 */
@Controller()
export class ChatHistoryController {
  constructor(private readonly supervisor: SessionSupervisor) {}

  @MessagePattern(WORKER_COMMANDS.chatHistory)
  page(@Payload() request: ChatHistoryRequest): Promise<ChatHistoryPage> {
    const { sessionId, traceId: _traceId, ...query } = request;
    return this.supervisor.runtime(sessionId).chatHistory(query);
  }
}
