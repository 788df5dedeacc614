import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { PinoLogger } from 'nestjs-pino';
import type { Counter, Histogram } from 'prom-client';
import { AgentTargetResolver, AiBackendClient, DEFAULT_AI_PARAMETERS, type AiRunPayload } from '@app/ai-backend';
import { AgentRunnerConfig } from '@app/config';
import { AppError, type InboundMessageEvent } from '@app/contracts';
import { METRICS } from '@app/observability';
import { ChatOutboxSender } from '../outbox/chat-outbox.sender';
import { TypingIndicator } from '../outbox/typing-indicator';
import { notForTheAgent } from './agent-eligibility';
import type { AgentOutcome } from './agent-outcome';
import { DeveloperAlertSender } from './developer-alert.sender';
import { InboundProgressStore } from './inbound-progress.store';

interface CallableTarget {
  endpoint: string;
  apiKey: string | null;
}

function aiPayloadOf(event: InboundMessageEvent): AiRunPayload {
  return {
    input: event.text ?? '',
    session_id: event.senderJid,
    parameters: { ...DEFAULT_AI_PARAMETERS },
    metadata: {
      agent_id: event.sessionId,
      trace_id: event.traceId,
      source: 'whatsapp',
      sender: { jid: event.senderJid, phone: event.senderPhone, name: event.pushName },
      chat: { jid: event.chatJid, is_group: event.isGroup },
      message: { id: event.waMessageId, sent_at: event.sentAt, quoted_id: event.quotedMessageId },
    },
  };
}

/**
 * Seed 003's inbound flow for one received message: decide whether the agent answers it, show
 * "typing…", call the AI, send the reply to the chat (quoting the message in groups), clear typing;
 * on error or timeout alert the developer. Throws only when the reply or alert could not be put
 * into the outbox (the job is retried; the AI's answer is kept and not asked for again).
 */
@Injectable()
export class AgentResponder {
  constructor(
    private readonly resolver: AgentTargetResolver,
    private readonly ai: AiBackendClient,
    private readonly typing: TypingIndicator,
    private readonly sender: ChatOutboxSender,
    private readonly alerts: DeveloperAlertSender,
    private readonly progress: InboundProgressStore,
    private readonly config: AgentRunnerConfig,
    private readonly logger: PinoLogger,
    @InjectMetric(METRICS.aiLatency.name) private readonly latency: Histogram<string>,
    @InjectMetric(METRICS.errors.name) private readonly errors: Counter<string>,
  ) {
    logger.setContext(AgentResponder.name);
  }

  async respond(event: InboundMessageEvent): Promise<void> {
    const log = { sessionId: event.sessionId, waMessageId: event.waMessageId, traceId: event.traceId };
    const reason = notForTheAgent(event, this.config.DEFAULT_COUNTRY_CODE);
    const target = reason ?? (await this.targetFor(event));
    if (typeof target === 'string') {
      this.logger.debug({ ...log, reason: target }, 'not for the AI agent');
      return;
    }
    const saved = await this.progress.agentOutcome(event);
    if (!saved) await this.typing.show(event.sessionId, event.chatJid, event.traceId);
    try {
      const outcome = saved ?? (await this.ask(event, target));
      if (!saved) await this.progress.saveAgentOutcome(event, outcome);
      if (outcome.kind === 'failed') {
        this.logger.warn({ ...log, code: outcome.code, reason: outcome.reason }, 'AI agent failed');
        await this.alerts.send(event, outcome);
      } else if (outcome.reply !== null) {
        await this.sender.send({
          sessionId: event.sessionId,
          toJid: event.chatJid,
          content: { kind: 'text', text: outcome.reply, quotedMessageId: event.isGroup ? event.waMessageId : undefined },
          idempotencyKey: `inbound:${event.waMessageId}:reply`,
          traceId: event.traceId,
        });
      }
    } finally {
      await this.typing.clear(event.sessionId, event.chatJid, event.traceId);
    }
  }

  /** Where the agent of this message is called, or why received messages get no automatic answer. */
  private async targetFor(event: InboundMessageEvent): Promise<CallableTarget | string> {
    const target = await this.resolver.resolve(event.sessionId, event.senderPhone);
    if (!target) return 'the session no longer exists';
    if (target.autoReplyOff) return target.autoReplyOff;
    if (!target.endpoint) return 'no AI endpoint is configured (session, chatbot binding or AI_BACKEND_URL)';
    return { endpoint: target.endpoint, apiKey: target.apiKey };
  }

  private async ask(event: InboundMessageEvent, target: CallableTarget): Promise<AgentOutcome> {
    const stop = this.latency.startTimer();
    try {
      const { reply } = await this.ai.execute({ ...target, payload: aiPayloadOf(event), traceId: event.traceId });
      stop({ outcome: 'ok' });
      return { kind: 'answered', reply };
    } catch (error) {
      const failure = error instanceof AppError ? error : new AppError('AI_DOWNSTREAM_ERROR', (error as Error).message);
      stop({ outcome: failure.code === 'AI_TIMEOUT' ? 'timeout' : 'error' });
      this.errors.inc({ code: failure.code });
      return { kind: 'failed', code: failure.code, reason: failure.message };
    }
  }
}
