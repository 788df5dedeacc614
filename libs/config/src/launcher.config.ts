import { IsInt, Max, Min } from 'class-validator';
import { CoreConfig, type LogFormat } from './core.config';
import { ToNumber } from './env-transforms';

/** What `npm start` needs beyond the apps' own settings (which it also validates before launching). */
export class LauncherConfig extends CoreConfig {
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(64)
  SESSION_WORKERS = 2;

  /** How long `npm start` waits for the gateway's /health to turn 200 before reporting. */
  @ToNumber()
  @IsInt()
  @Min(1_000)
  LAUNCHER_READY_TIMEOUT_MS = 60_000;

  /**
   * The apps' stdout is a pipe to the launcher, so the launcher decides what `auto` means (readable
   * lines when its own output is a terminal) and hands every app the outcome.
   */
  override LOG_FORMAT: LogFormat = 'auto';
}
