import { IsBoolean, IsIn, IsInt, IsIP, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { AiBackendConfig } from './ai-backend.config';
import { ToBoolean, ToList, ToNumber } from './env-transforms';

export const REGISTRATION_MODES = ['admin', 'open'] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];

/** `<n>` seconds or `<n>s|m|h|d`, e.g. `12h`. */
const DURATION = /^[1-9]\d*[smhd]?$/;
/** A browser origin (`scheme://host[:port]`), or `*`. */
const ORIGIN = /^(\*|https?:\/\/[^/\s?#]+)$/;
const SECONDS_PER_UNIT: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/** The gateway runs the agent too (`POST /agents/{id}/run`), hence the AI backend settings. */
export class GatewayConfig extends AiBackendConfig {
  @ToNumber()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /**
   * How long a single send waits for the message to be handed to WhatsApp before answering 202
   * (still queued, e.g. paced by the rate limit); it is sent later either way.
   */
  @ToNumber()
  @IsInt()
  @Min(0)
  @Max(120_000)
  SEND_RESPONSE_WAIT_MS = 15_000;

  /**
   * Largest JSON or form body of a route that carries no media (every route but media sends, bulk
   * jobs and schedules, whose limit follows MEDIA_MAX_BYTES), in bytes.
   */
  @ToNumber()
  @IsInt()
  @Min(1_024)
  @Max(64 * 1024 * 1024)
  REQUEST_BODY_LIMIT_BYTES = 1024 * 1024;

  /** How long the gateway waits for a session worker to answer a command. */
  @ToNumber()
  @IsInt()
  @Min(100)
  WORKER_RPC_TIMEOUT_MS = 10_000;

  /**
   * Longest the gateway keeps a session, account or credential it read (they are dropped at once
   * when the row changes, through PostgreSQL notifications); 0 reads them on every request.
   */
  @ToNumber()
  @IsInt()
  @Min(0)
  ROW_CACHE_TTL_MS = 60_000;

  /** Bootstrap admin credential accepted in x-api-key; long, because it opens everything. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters; generate with `openssl rand -hex 32`' })
  ADMIN_API_KEY?: string;

  /** HS256 key signing login tokens (JWTs). */
  @IsString()
  @MinLength(32, { message: 'must be at least 32 bytes; generate with `openssl rand -hex 32`' })
  JWT_SECRET!: string;

  @Matches(DURATION, { message: 'must be seconds or a number with s, m, h or d (e.g. 12h)' })
  JWT_EXPIRES_IN = '12h';

  /** `admin`: only admins create users (POST /auth/register needs an admin credential); `open`: anyone may register. */
  @IsIn(REGISTRATION_MODES)
  REGISTRATION_MODE: RegistrationMode = 'admin';

  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>` (or an admin credential). */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  METRICS_TOKEN?: string;

  /** Requests per API_RATE_WINDOW per client (API key, user, session token or IP). */
  @ToNumber()
  @IsInt()
  @Min(1)
  API_RATE_LIMIT = 100;

  @ToNumber()
  @IsInt()
  @Min(1_000)
  API_RATE_WINDOW = 60_000;

  /** Client IPs the API rate limit does not apply to. */
  @ToList()
  @IsIP(undefined, { each: true, message: 'must be a comma-separated list of IP addresses' })
  RATE_LIMIT_WHITELIST: string[] = [];

  @IsString()
  @MinLength(1)
  @MaxLength(300)
  RATE_LIMIT_MESSAGE = 'Too many requests, try again later';

  @ToNumber()
  @IsInt()
  @Min(400)
  @Max(599)
  RATE_LIMIT_STATUS_CODE = 429;

  /** Login attempts per LOGIN_RATE_WINDOW for one email from one IP. */
  @ToNumber()
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT = 10;

  @ToNumber()
  @IsInt()
  @Min(1_000)
  LOGIN_RATE_WINDOW = 900_000;

  /**
   * Express `trust proxy`: empty = use the socket address; a hop count (`1`), `loopback`, or
   * comma-separated proxy addresses/subnets make rate limits see the client IP from X-Forwarded-For.
   */
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  /**
   * Browser origins allowed to call the API cross-origin (CORS), comma-separated
   * (`https://app.example.com,http://localhost:5173`); `*` allows any origin; empty = none.
   * Credentials travel in headers, never cookies, so CORS never allows credentials.
   */
  @ToList()
  @Matches(ORIGIN, {
    each: true,
    message: 'must be a comma-separated list of origins such as https://app.example.com (scheme, host, optional port; no path), or *',
  })
  ALLOWED_ORIGINS: string[] = [];

  /** Serve the web console (static files built into dist/console) at /console; its API calls need a credential as any other. */
  @ToBoolean()
  @IsBoolean()
  CONSOLE_ENABLED = true;

  /** How long a live-events ticket (POST /events/tickets, for EventSource) may wait to be used once (ms). */
  @ToNumber()
  @IsInt()
  @Min(1_000)
  @Max(300_000)
  LIVE_EVENTS_TICKET_TTL_MS = 30_000;

  /** Keep-alive comment period on idle live-event streams, below any proxy's idle timeout (ms). */
  @ToNumber()
  @IsInt()
  @Min(1_000)
  LIVE_EVENTS_KEEPALIVE_MS = 15_000;

  /**
   * Unsent bytes a live-event client may fall behind by before the gateway drops its connection
   * (its reconnect with Last-Event-ID replays what it missed); bounds the gateway's memory per client.
   */
  @ToNumber()
  @IsInt()
  @Min(1_024)
  LIVE_EVENTS_CLIENT_BUFFER_BYTES = 1_048_576;
}

/** JWT_EXPIRES_IN in seconds. */
export function jwtExpirySeconds(config: GatewayConfig): number {
  const match = /^(\d+)([smhd]?)$/.exec(config.JWT_EXPIRES_IN);
  if (!match) throw new Error(`JWT_EXPIRES_IN is not a duration: ${config.JWT_EXPIRES_IN}`);
  return Number(match[1]) * SECONDS_PER_UNIT[match[2] || 's'];
}
