import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ToNumber } from './env-transforms';
import { SendingConfig } from './sending.config';

/**
 * Settings of calls to the AI backend (seed 003), read by every app that runs the agent: the
 * agent-runner for received messages and the gateway for `POST /agents/{id}/run`. Both also send
 * the agent's replies through the outbox, hence the sending settings.
 */
export class AiBackendConfig extends SendingConfig {
  /**
   * Default AI backend: `${AI_BACKEND_URL}/agents/{sessionId}/execute` when neither a chatbot
   * binding nor the session names an endpoint. Operator-chosen, so its origin is trusted even when
   * private; endpoints set by tenants go through the URL_FETCH_ALLOWLIST address check.
   */
  @IsOptional()
  @Matches(/^https?:\/\/.+/, { message: 'must be an http(s) URL' })
  AI_BACKEND_URL?: string;

  /** One AI call's whole budget (seed 003: 60 s); past it the call fails with AI_TIMEOUT. */
  @ToNumber()
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  AI_TIMEOUT_MS = 60_000;
}
