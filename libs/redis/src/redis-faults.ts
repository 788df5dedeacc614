import { AppError } from '@app/contracts';

/** Seconds a client waits before retrying a request that met an unreachable Redis. */
const REDIS_RETRY_AFTER_SECONDS = 2;

/**
 * What ioredis (and BullMQ on top of it) reject commands with while Redis cannot be reached: the
 * connection closed or not writable, the command given up after its reconnection retries, or a
 * restarted Redis still loading its data.
 */
const REDIS_UNREACHABLE = /Connection is closed|Stream isn't writeable|max retries per request|Reached the max retries|Socket closed unexpectedly|^LOADING /i;

/**
 * The API's answer when a request failed because Redis is unreachable (503 SERVICE_UNAVAILABLE
 * with Retry-After, naming Redis), or undefined when `error` is something else.
 */
export function redisFaultOf(error: unknown): AppError | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name !== 'MaxRetriesPerRequestError' && !REDIS_UNREACHABLE.test(error.message)) return undefined;
  return new AppError('SERVICE_UNAVAILABLE', 'Redis is unreachable; retry shortly', { dependency: 'redis', retryAfterSeconds: REDIS_RETRY_AFTER_SECONDS });
}
