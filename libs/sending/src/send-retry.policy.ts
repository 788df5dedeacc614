import type { SendingConfig } from '@app/config';

/** How many attempts a message gets is its pacing profile's (`SendPacer.maxAttempts`); this is only the wait. */
type RetrySettings = Pick<SendingConfig, 'SEND_RETRY_BASE_MS' | 'SEND_RETRY_MAX_MS'>;

/**
 * Wait before the next attempt after `attemptsMade` failures: the base delay doubling per failure,
 * capped, with ±20 % jitter so the sends of a session that failed together do not retry together.
 */
export function sendRetryDelayMs(attemptsMade: number, config: RetrySettings, random: () => number = Math.random): number {
  const exponential = config.SEND_RETRY_BASE_MS * 2 ** Math.max(0, attemptsMade - 1);
  const capped = Math.min(config.SEND_RETRY_MAX_MS, exponential);
  return Math.round(capped * (0.8 + 0.4 * random()));
}
