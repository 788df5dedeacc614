import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Runs work one item at a time in arrival order: a held session's connection events and commands
 * go through one queue, so the session never sees two transitions interleave.
 *
 * Work runs in the async context the queue was made in, not the caller's. Socket events arrive
 * from inside Baileys' key transactions (an AsyncLocalStorage context); work started there, and
 * every socket call it makes, would count as part of that long-finished transaction: no lock, and
 * key writes into a context nobody commits.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly inOwnContext = AsyncLocalStorage.snapshot();

  run<T>(work: () => Promise<T>): Promise<T> {
    const own = () => this.inOwnContext(work);
    const next = this.tail.then(own, own);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
