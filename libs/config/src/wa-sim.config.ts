import { IsIn, IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { ToNumber } from './env-transforms';
import { LOG_LEVELS, type LogLevel } from './core.config';

/** Settings of the WhatsApp simulator (apps/wa-sim). It needs no database and no Redis. */
export class WaSimConfig {
  /** One HTTP server carries the control API and the WhatsApp WebSocket (path /ws/chat). */
  @ToNumber()
  @IsInt()
  @Min(0)
  @Max(65535)
  WA_SIM_PORT = 7010;

  @IsString()
  @MinLength(1)
  WA_SIM_HOST = '127.0.0.1';

  /** Directory holding the simulator's keys, phones, linked devices and Signal sessions. */
  @IsString()
  @MinLength(1)
  WA_SIM_STATE_DIR = '.data/wa-sim';

  /** Delay before a simulated contact's automatic delivery receipt (read follows after the same delay). */
  @ToNumber()
  @IsInt()
  @Min(0)
  WA_SIM_RECEIPT_DELAY_MS = 250;

  /** HTTPS media host (uploads/downloads); 0 picks a free port. */
  @ToNumber()
  @IsInt()
  @Min(0)
  @Max(65535)
  WA_SIM_MEDIA_PORT = 7011;

  /**
   * Name or address companions use to reach the media host (announced in `media_conn` and in
   * media URLs, covered by its certificate). Empty: WA_SIM_HOST, or 127.0.0.1 when that is a wildcard.
   */
  @IsString()
  WA_SIM_MEDIA_HOSTNAME = '';

  /** Newest messages per chat a phone puts into a newly linked companion's history sync (older ones: on demand). */
  @ToNumber()
  @IsInt()
  @Min(0)
  @Max(1_000)
  WA_SIM_HISTORY_SYNC_MESSAGES = 20;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';
}
