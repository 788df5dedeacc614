import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { AiBackendConfig } from './ai-backend.config';
import { ToNumber } from './env-transforms';

/**
 * The agent-runner answers received messages with the AI backend and sends replies and alerts
 * through the outbox (SEND_QUEUE_MAX, DEFAULT_COUNTRY_CODE, URL_FETCH_ALLOWLIST come from there).
 */
export class AgentRunnerConfig extends AiBackendConfig {
  @ToNumber() @IsInt() @Min(0) @Max(65535)
  AGENT_RUNNER_METRICS_PORT = 9500;

  @IsString()
  AGENT_RUNNER_METRICS_HOST = '0.0.0.0';

  /**
   * Received messages one agent-runner works on at the same time. An AI call may take up to
   * AI_TIMEOUT_MS, so this bounds how many chats wait on the AI backend at once.
   */
  @ToNumber() @IsInt() @Min(1) @Max(1_000)
  INBOUND_CONCURRENCY = 20;

  @ToNumber() @IsInt() @Min(100)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** Attempts per webhook delivery before it is marked failed. */
  @ToNumber() @IsInt() @Min(1) @Max(50)
  WEBHOOK_MAX_ATTEMPTS = 8;

  /** First retry delay; each further retry doubles it. */
  @ToNumber() @IsInt() @Min(10)
  WEBHOOK_RETRY_BASE_MS = 2_000;

  /** Number or JID that receives failure alerts (sent from the session whose agent failed). */
  @IsOptional()
  @Matches(/^(\+?[\d\s-]{7,20}|\d+(:\d+)?@(s\.whatsapp\.net|c\.us|lid)|[\d-]+@g\.us)$/, { message: 'must be a phone number (62812…, +62 812…) or a WhatsApp JID' })
  DEVELOPER_JID?: string;

  /** How long the agent-runner waits for a session worker to answer a command (typing, deliver). */
  @ToNumber() @IsInt() @Min(100)
  WORKER_RPC_TIMEOUT_MS = 10_000;
}
