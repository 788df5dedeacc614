/** Polls a URL until it answers 200; resolves with the time it took, or null on timeout. */
export async function waitForOk(url: string, timeoutMs: number, intervalMs = 250): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(intervalMs * 4) });
      await response.body?.cancel();
      if (response.status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return null;
}
