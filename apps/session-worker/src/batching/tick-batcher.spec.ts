import { TickBatcher } from './tick-batcher';

/** A flush that the test completes by hand, recording each batch it was given. */
function manualFlush<T>() {
  const batches: T[][] = [];
  const pending: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  const flush = (items: T[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push(items);
      pending.push({ resolve: () => resolve(items.map((item) => `stored ${String(item)}`)), reject });
    });
  return { batches, pending, flush };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('TickBatcher', () => {
  it('hands the calls of one event-loop turn to one flush, each caller getting its own result', async () => {
    const { batches, pending, flush } = manualFlush<number>();
    const batcher = new TickBatcher(flush);
    const results = [batcher.add(1), batcher.add(2), batcher.add(3)];
    await turn();
    expect(batches).toEqual([[1, 2, 3]]);
    pending[0].resolve();
    expect(await Promise.all(results)).toEqual(['stored 1', 'stored 2', 'stored 3']);
  });

  it('never resolves a call before its flush has finished (nothing is acknowledged before it is stored)', async () => {
    const { pending, flush } = manualFlush<string>();
    const batcher = new TickBatcher(flush);
    let acknowledged = false;
    const write = batcher.add('message').then(() => (acknowledged = true));
    await turn();
    await turn();
    expect(acknowledged).toBe(false);
    pending[0].resolve();
    await write;
    expect(acknowledged).toBe(true);
  });

  it('runs one flush at a time: calls made meanwhile form the next batch, started when the first ends', async () => {
    const { batches, pending, flush } = manualFlush<number>();
    const batcher = new TickBatcher(flush);
    const first = batcher.add(1);
    await turn();
    const later = [batcher.add(2), batcher.add(3)];
    await turn();
    expect(batches).toEqual([[1]]);
    pending[0].resolve();
    await first;
    await turn();
    expect(batches).toEqual([[1], [2, 3]]);
    pending[1].resolve();
    expect(await Promise.all(later)).toEqual(['stored 2', 'stored 3']);
  });

  it('fails every call of a failed flush, and goes on with the next batch', async () => {
    const { batches, pending, flush } = manualFlush<number>();
    const batcher = new TickBatcher(flush);
    const failing = [batcher.add(1), batcher.add(2)];
    await turn();
    const next = batcher.add(3);
    pending[0].reject(new Error('database down'));
    await expect(Promise.all(failing)).rejects.toThrow('database down');
    await turn();
    expect(batches).toEqual([[1, 2], [3]]);
    pending[1].resolve();
    expect(await next).toBe('stored 3');
  });

  it('splits a backlog into batches of at most maxBatch', async () => {
    const { batches, pending, flush } = manualFlush<number>();
    const batcher = new TickBatcher(flush, { maxBatch: 2 });
    const all = [1, 2, 3, 4, 5].map((item) => batcher.add(item));
    for (let index = 0; index < 3; index += 1) {
      await turn();
      pending[index].resolve();
      await turn();
    }
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    expect(await Promise.all(all)).toHaveLength(5);
  });

  it('lets a batch linger for company when asked to, then writes everything that came in one flush', async () => {
    const { batches, pending, flush } = manualFlush<number>();
    const batcher = new TickBatcher(flush, { lingerMs: 30 });
    const first = batcher.add(1);
    await turn();
    const second = batcher.add(2);
    expect(batches).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(batches).toEqual([[1, 2]]);
    pending[0].resolve();
    expect(await Promise.all([first, second])).toEqual(['stored 1', 'stored 2']);
  });

  it('fails the batch when the flush answers a different number of results', async () => {
    const batcher = new TickBatcher<number, number>(async () => [1]);
    await expect(Promise.all([batcher.add(1), batcher.add(2)])).rejects.toThrow('flush returned 1 results for 2 items');
  });
});
