/**
 * Runs work one item at a time in arrival order: a held session's connection events and commands
 * go through one queue, so the session never sees two transitions interleave.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
