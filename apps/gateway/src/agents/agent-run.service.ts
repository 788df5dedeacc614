import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';
import { AgentTargetResolver, AiBackendClient, DEFAULT_AI_PARAMETERS, type AiExecutionResult } from '@app/ai-backend';
import { GatewayConfig } from '@app/config';
import { AppError, HANDED_OVER } from '@app/contracts';
import { METRICS } from '@app/observability';
import { normalizeRecipient } from '@app/recipients';
import { MessagesService } from '../messages/messages.service';
import type { AgentRunDto, AgentRunResultDto } from './agent-run.dto';

/**
 * Seed 003 `POST /agents/{id}/run`: ask the session's agent (the same endpoint rules and client as
 * received messages) and send its reply to `session_id` through the outbox.
 */
@Injectable()
export class AgentRunService {
  constructor(
    private readonly resolver: AgentTargetResolver,
    private readonly ai: AiBackendClient,
    private readonly messages: MessagesService,
    private readonly config: GatewayConfig,
    @InjectMetric(METRICS.aiLatency.name) private readonly latency: Histogram<string>,
    @InjectMetric(METRICS.errors.name) private readonly errors: Counter<string>,
  ) {}

  async run(sessionId: string, body: AgentRunDto, traceId: string, idempotencyKey: string | undefined): Promise<AgentRunResultDto> {
    const partner = normalizeRecipient(body.session_id, this.config.DEFAULT_COUNTRY_CODE);
    // Checked before the AI is asked: a reply that cannot be sent is a call paid for nothing.
    await this.messages.requireConnected(sessionId);
    const target = await this.resolver.resolve(sessionId, partner.phone ?? null);
    if (!target) throw new AppError('SESSION_NOT_FOUND', `Session ${sessionId} does not exist`);
    if (!target.endpoint) {
      throw new AppError('CONFLICT', `Session ${sessionId} has no AI endpoint: set one with PUT /sessions/${sessionId}/agent, or configure AI_BACKEND_URL`);
    }
    const { reply } = await this.ask({
      endpoint: target.endpoint,
      apiKey: target.apiKey,
      traceId,
      payload: {
        input: (body.input ?? body.message)!,
        session_id: partner.jid,
        parameters: body.parameters ?? { ...DEFAULT_AI_PARAMETERS },
        metadata: { agent_id: sessionId, trace_id: traceId, source: 'api', chat: { jid: partner.jid, is_group: partner.kind === 'group' } },
      },
    });
    if (reply === null) return { reply, replySent: false, replyStatus: null, messageId: null, waMessageId: null, traceId };
    const sent = await this.messages.send({
      sessionId,
      to: partner.jid,
      content: { kind: 'text', text: reply },
      idempotencyKey: idempotencyKey ? `run:${idempotencyKey}` : undefined,
      traceId,
    });
    return { reply, replySent: HANDED_OVER.includes(sent.status), replyStatus: sent.status, messageId: sent.messageId, waMessageId: sent.waMessageId, traceId };
  }

  private async ask(call: Parameters<AiBackendClient['execute']>[0]): Promise<AiExecutionResult> {
    const stop = this.latency.startTimer();
    try {
      const result = await this.ai.execute(call);
      stop({ outcome: 'ok' });
      return result;
    } catch (error) {
      const code = error instanceof AppError ? error.code : 'AI_DOWNSTREAM_ERROR';
      stop({ outcome: code === 'AI_TIMEOUT' ? 'timeout' : 'error' });
      this.errors.inc({ code });
      throw error;
    }
  }
}
