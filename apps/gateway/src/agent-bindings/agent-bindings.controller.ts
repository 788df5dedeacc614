import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SessionScoped } from '../credentials/auth.decorators';
import { ErrorEnvelopeDto } from '../errors/error-envelope.dto';
import { AgentSettingsDto, ChatbotBindingDto, ChatbotDeletedDto, UpdateAgentDto, UpsertChatbotDto } from './agent-binding.dto';
import { AgentBindingsService } from './agent-bindings.service';

/**
 * Which AI agent answers a session's messages: the session's endpoint and api key (seeds 000,
 * 003), and per contact number a chatbot binding that switches it off or points elsewhere (seed 002).
 * Owners and admins only: session tokens send, they do not reconfigure.
 */
@ApiTags('agents')
@ApiNotFoundResponse({ type: ErrorEnvelopeDto, description: 'SESSION_NOT_FOUND' })
@Controller('sessions/:id')
@SessionScoped()
export class AgentBindingsController {
  constructor(private readonly bindings: AgentBindingsService) {}

  @Get('agent')
  @ApiOperation({ summary: "The session's AI agent binding (the api key is never shown)" })
  @ApiOkResponse({ type: AgentSettingsDto })
  get(@Param('id') sessionId: string): Promise<AgentSettingsDto> {
    return this.bindings.get(sessionId);
  }

  @Put('agent')
  @ApiOperation({ summary: "Set the session's AI endpoint, api key and on/off switch (absent fields are kept, null clears)" })
  @ApiOkResponse({ type: AgentSettingsDto })
  update(@Param('id') sessionId: string, @Body() body: UpdateAgentDto): Promise<AgentSettingsDto> {
    return this.bindings.update(sessionId, body);
  }

  @Get('chatbots')
  @ApiOperation({ summary: 'Chatbot bindings per contact number (seed 002 chatbots)' })
  @ApiOkResponse({ type: ChatbotBindingDto, isArray: true })
  listChatbots(@Param('id') sessionId: string): Promise<ChatbotBindingDto[]> {
    return this.bindings.listChatbots(sessionId);
  }

  @Put('chatbots/:senderNumber')
  @ApiOperation({
    summary: 'Create or change the chatbot binding of a contact number',
    description: "Messages from this number are answered by `endpointUrl` (or the session's endpoint when null), or not at all when `enabled` is false.",
  })
  @ApiOkResponse({ type: ChatbotBindingDto })
  upsertChatbot(@Param('id') sessionId: string, @Param('senderNumber') senderNumber: string, @Body() body: UpsertChatbotDto): Promise<ChatbotBindingDto> {
    return this.bindings.upsertChatbot(sessionId, senderNumber, body);
  }

  @Delete('chatbots/:senderNumber')
  @ApiOperation({ summary: "Remove the chatbot binding of a contact number (the session's agent answers it again)" })
  @ApiOkResponse({ type: ChatbotDeletedDto })
  async deleteChatbot(@Param('id') sessionId: string, @Param('senderNumber') senderNumber: string): Promise<ChatbotDeletedDto> {
    return { deleted: await this.bindings.deleteChatbot(sessionId, senderNumber) };
  }
}
