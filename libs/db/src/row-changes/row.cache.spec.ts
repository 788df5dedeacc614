import { RowCache } from './row.cache';

const loaded =
  <V>(value: V, ...rows: string[]) =>
  async () => ({ value, rows });

describe('RowCache', () => {
  const listening = <V>(ttlMs = 60_000, maxEntries = 100, clock?: () => number) => {
    const cache = new RowCache<V>(ttlMs, maxEntries, clock);
    cache.listeningChanged(true);
    return cache;
  };

  it('keeps a value until a row it was read from changes', async () => {
    const cache = listening<string>();
    let reads = 0;
    const read = async () => ({ value: `v${(reads += 1)}`, rows: ['sessions:a', 'users:u'] });
    expect(await cache.get('a', read)).toBe('v1');
    expect(await cache.get('a', read)).toBe('v1');
    cache.rowChanged('users:u');
    expect(await cache.get('a', read)).toBe('v2');
    cache.rowChanged('sessions:other');
    expect(await cache.get('a', read)).toBe('v2');
  });

  it('keeps nothing while the change feed does not listen, and forgets everything when it stops', async () => {
    const cache = new RowCache<string>(60_000, 100);
    await cache.get('a', loaded('v1', 'sessions:a'));
    expect(cache.size).toBe(0);
    cache.listeningChanged(true);
    await cache.get('a', loaded('v1', 'sessions:a'));
    expect(cache.size).toBe(1);
    cache.listeningChanged(false);
    expect(cache.size).toBe(0);
  });

  it('does not keep a read that overlapped a change (the notice must not be overtaken by the stale value)', async () => {
    const cache = listening<string>();
    let finish!: () => void;
    const slowRead = cache.get('a', () => new Promise((resolve) => (finish = () => resolve({ value: 'stale', rows: ['sessions:a'] }))));
    cache.rowChanged('sessions:a');
    finish();
    expect(await slowRead).toBe('stale');
    expect(await cache.get('a', loaded('fresh', 'sessions:a'))).toBe('fresh');
  });

  it('keeps nothing read from no row, expires entries and drops the least recently used', async () => {
    let now = 0;
    const cache = listening<string>(1_000, 2, () => now);
    await cache.get('missing', loaded('none'));
    expect(cache.size).toBe(0);
    await cache.get('a', loaded('a1', 'r:a'));
    await cache.get('b', loaded('b1', 'r:b'));
    await cache.get('a', loaded('unused', 'r:a'));
    await cache.get('c', loaded('c1', 'r:c'));
    expect(await cache.get('a', loaded('a2', 'r:a'))).toBe('a1');
    expect(await cache.get('b', loaded('b2', 'r:b'))).toBe('b2');
    now = 1_001;
    expect(await cache.get('a', loaded('a3', 'r:a'))).toBe('a3');
  });
});
