/** Exponential backoff with full jitter, capped; the attempt number starts at 1. */
export function reconnectDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  // Half fixed, half random: never instant, and replicas that lost their network together spread out.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Runs `work`, retrying a failure with the same backoff (a few attempts, about 6 s in all): a status
 * write lost to a busy database must not leave a live socket recorded as `connecting` forever.
 */
export async function withStorageRetries<T>(work: () => Promise<T>, attempts = 5, baseMs = 200): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, reconnectDelayMs(attempt, baseMs, 5_000)));
    }
  }
}
