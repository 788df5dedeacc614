/**
 * Group commit: calls made while the event loop runs one batch of callbacks are handed to `flush`
 * together, as one statement or one Redis write, and every caller gets its own result. One flush
 * runs at a time; calls made meanwhile form the next batch, which starts as soon as the running
 * one ends. An idle process therefore flushes a lone call at once (after the current callbacks),
 * and a busy one writes more per round trip instead of queueing round trips. Writes nobody waits
 * for (recording what happened) may `lingerMs` for company before a batch starts.
 *
 * A caller's promise settles only when its batch's flush has settled: a write is never reported
 * done before it is.
 */
export class TickBatcher<Item, Result> {
  private pending: Array<{ item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void }> = [];
  private flushing = false;
  private scheduled = false;

  constructor(
    /** Must return one result per item, in order. */
    private readonly flush: (items: Item[]) => Promise<Result[]>,
    private readonly options: { maxBatch?: number; lingerMs?: number } = {},
  ) {}

  add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Calls waiting for a flush (for metrics and tests). */
  get waiting(): number {
    return this.pending.length;
  }

  private schedule(): void {
    if (this.flushing || this.scheduled) return;
    this.scheduled = true;
    const linger = this.options.lingerMs ?? 0;
    if (linger > 0) setTimeout(() => void this.run(), linger);
    else setImmediate(() => void this.run());
  }

  private async run(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending.splice(0, this.options.maxBatch ?? 500);
    if (batch.length === 0) return;
    this.flushing = true;
    try {
      const results = await this.flush(batch.map((entry) => entry.item));
      if (results.length !== batch.length) throw new Error(`flush returned ${results.length} results for ${batch.length} items`);
      batch.forEach((entry, index) => entry.resolve(results[index]));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    } finally {
      this.flushing = false;
      if (this.pending.length > 0) this.schedule();
    }
  }
}
