import { IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { ToNumber } from './env-transforms';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_FORMATS = ['json', 'pretty', 'auto'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Where an installation's Redis data is: what every process, and the Redis tools, need of Redis. */
export class RedisConnectionConfig {
  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Namespace for every Redis key, BullMQ queue and transport channel of one installation. */
  @Matches(/^[a-zA-Z0-9_-]{1,40}$/, { message: 'must be 1-40 letters, digits, _ or -' })
  REDIS_PREFIX = 'wagw';
}

/** Settings every process of the suite needs: its stores, its logs and its metrics port. */
export class CoreConfig extends RedisConnectionConfig {
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgresql:// connection string' })
  DATABASE_URL!: string;

  /** PostgreSQL connections this process may hold; a worker restoring many sessions at once wants more. */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(1000)
  DATABASE_POOL_SIZE = 10;

  /** 32-byte key (64 hex chars) sealing secrets stored in the database (AES-256-GCM). */
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'must be 64 hex characters (32 bytes); generate with `openssl rand -hex 32`' })
  ENCRYPTION_KEY!: string;

  /**
   * Live events (GET /events) stay replayable for this long (ms) after they happened, so a client
   * that reconnects with Last-Event-ID within it misses nothing (unless LIVE_EVENTS_MAX_LEN came first).
   */
  @ToNumber()
  @IsInt()
  @Min(1_000)
  LIVE_EVENTS_RETENTION_MS = 3_600_000;

  /** Most live events the Redis stream keeps (bounds its memory whatever the rate; ~ 300-1000 bytes each). */
  @ToNumber()
  @IsInt()
  @Min(100)
  LIVE_EVENTS_MAX_LEN = 100_000;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  /** `json`: one JSON object per line, for log collectors; `pretty`: one readable line per event; `auto`: pretty when stdout is a terminal. */
  @IsIn(LOG_FORMATS)
  LOG_FORMAT: LogFormat = 'json';

  @IsString()
  NODE_ENV = 'production';
}
