/**
 * Polls a URL until it answers 200 with a JSON body `accept` agrees with; resolves with the time it
 * took, or null on timeout.
 */
export async function waitForOk(url: string, timeoutMs: number, accept: (body: unknown) => boolean = () => true, intervalMs = 250): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(intervalMs * 4) });
      const body: unknown = await response.json().catch(() => null);
      if (response.status === 200 && accept(body)) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return null;
}

/** Whether the gateway's /health body counts at least `workers` live session workers. */
export const hasLiveWorkers =
  (workers: number) =>
  (body: unknown): boolean => {
    const live = (body as { info?: { workers?: { live?: unknown } } } | null)?.info?.workers?.live;
    return typeof live === 'number' && live >= workers;
  };
