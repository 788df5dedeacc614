import { IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { AiBackendConfig } from './ai-backend.config';
import { ToNumber } from './env-transforms';

/**
 * The agent-runner answers received messages with the AI backend and sends replies and alerts
 * through the outbox (SEND_QUEUE_MAX, DEFAULT_COUNTRY_CODE, URL_FETCH_ALLOWLIST come from there).
 */
export class AgentRunnerConfig extends AiBackendConfig {
  @ToNumber()
  @IsInt()
  @Min(0)
  @Max(65535)
  AGENT_RUNNER_METRICS_PORT = 9500;

  @IsString()
  AGENT_RUNNER_METRICS_HOST = '0.0.0.0';

  /**
   * Received messages one agent-runner works on at the same time. An AI call may take up to
   * AI_TIMEOUT_MS, so this bounds how many chats wait on the AI backend at once.
   */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(1_000)
  INBOUND_CONCURRENCY = 20;

  @ToNumber()
  @IsInt()
  @Min(100)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /**
   * Time unit of the webhook retry schedule (WEBHOOK_RETRY_DELAYS in libs/contracts): 1000 = the
   * documented schedule in seconds (a failing endpoint is retried for about 28 hours). Tests
   * shrink it to run the whole schedule in seconds.
   */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(60_000)
  WEBHOOK_RETRY_UNIT_MS = 1_000;

  /** Webhook requests one agent-runner has in flight at once (one per session at most). */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(500)
  WEBHOOK_CONCURRENCY = 20;

  /** How often the agent-runner looks for webhook deliveries that are due (new ones are sent at once). */
  @ToNumber()
  @IsInt()
  @Min(10)
  @Max(60_000)
  WEBHOOK_POLL_INTERVAL_MS = 1_000;

  /**
   * Seed 001's global webhook: where the events of sessions without a webhook of their own go
   * (every event). Operator-configured, so its origin is trusted like AI_BACKEND_URL's.
   */
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'must be an http(s) URL' })
  WEBHOOK_BASE_URL?: string;

  /** Signing secret of WEBHOOK_BASE_URL's requests (x-wagw-signature); unset = unsigned. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  WEBHOOK_BASE_SECRET?: string;

  /** Number or JID that receives failure alerts (sent from the session whose agent failed). */
  @IsOptional()
  @Matches(/^(\+?[\d\s-]{7,20}|\d+(:\d+)?@(s\.whatsapp\.net|c\.us|lid)|[\d-]+@g\.us)$/, {
    message: 'must be a phone number (62812…, +62 812…) or a WhatsApp JID',
  })
  DEVELOPER_JID?: string;

  /** How long the agent-runner waits for a session worker to answer a command (typing, deliver). */
  @ToNumber()
  @IsInt()
  @Min(100)
  WORKER_RPC_TIMEOUT_MS = 10_000;
}
