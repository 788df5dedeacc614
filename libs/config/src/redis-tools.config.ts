import { IsInt, IsString, Min } from 'class-validator';
import { RedisConnectionConfig } from './core.config';
import { ToNumber } from './env-transforms';

/** Settings of `npm run redis:analyze` and `npm run redis:clean` (seed 000's Redis tools). */
export class RedisToolsConfig extends RedisConnectionConfig {
  /** `production` makes redis:clean a dry run unless `--apply` is given. */
  @IsString()
  NODE_ENV = 'production';

  /**
   * redis:clean removes finished BullMQ jobs older than this. At least 24 h: received messages are
   * recognised by their kept job for that long (seed 003's duplicate deliveries).
   */
  @ToNumber()
  @IsInt()
  @Min(24)
  REDIS_CLEAN_JOB_RETENTION_HOURS = 168;
}
