import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadGatewayResponse, ApiConflictResponse, ApiGatewayTimeoutResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AcceptsSessionToken, SessionScoped } from '../credentials/auth.decorators';
import { ErrorEnvelopeDto } from '../errors/error-envelope.dto';
import { TraceId } from '../http/trace-id.decorator';
import { IdempotencyKey, Idempotent } from '../idempotency/idempotent.decorator';
import { AgentRunDto, AgentRunResultDto } from './agent-run.dto';
import { AgentRunService } from './agent-run.service';

/** Seed 003: the session's api key (Bearer) or a session token may run the agent, as may its owner. */
@ApiTags('agents')
@Controller('agents/:id')
@SessionScoped()
@AcceptsSessionToken()
export class AgentRunController {
  constructor(private readonly agents: AgentRunService) {}

  @Post('run')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary: 'Run the AI agent on an input and send its reply to a chat (seed 003)',
    description:
      "Calls the agent endpoint (chatbot binding of `session_id`, else the session's endpoint, else `${AI_BACKEND_URL}/agents/{id}/execute`) " +
      "with `Authorization: Bearer <session api key>`, within AI_TIMEOUT_MS, and sends the `reply` to `session_id` through the session's outbox. " +
      'The session must be connected (409 SESSION_NOT_CONNECTED, or 503 SESSION_NOT_READY while it reconnects; checked before the AI is called).',
  })
  @ApiOkResponse({ type: AgentRunResultDto })
  @ApiConflictResponse({ type: ErrorEnvelopeDto, description: 'SESSION_NOT_CONNECTED, or CONFLICT: no AI endpoint configured' })
  @ApiBadGatewayResponse({ type: ErrorEnvelopeDto, description: 'AI_DOWNSTREAM_ERROR: the AI backend failed or answered nonsense' })
  @ApiGatewayTimeoutResponse({ type: ErrorEnvelopeDto, description: 'AI_TIMEOUT: no answer within AI_TIMEOUT_MS' })
  run(
    @Param('id') sessionId: string,
    @Body() body: AgentRunDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @TraceId() traceId: string,
  ): Promise<AgentRunResultDto> {
    return this.agents.run(sessionId, body, traceId, idempotencyKey);
  }
}
