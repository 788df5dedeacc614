import { redisOptionsFromUrl } from '@app/redis';

/** Transport connections retry for as long as the process lives: Redis restarts are survivable. */
export const redisTransportOptions = (url: string) => ({
  ...redisOptionsFromUrl(url),
  retryAttempts: Number.MAX_SAFE_INTEGER,
  retryDelay: 1_000,
});
