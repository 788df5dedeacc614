import type { RowChangeListener } from './row-change.feed';

/** A loaded value and the rows (`<table>:<id>`) it was read from. */
export interface Loaded<V> {
  value: V;
  rows: string[];
}

interface Entry<V> {
  value: V;
  rows: string[];
  expiresAt: number;
}

/**
 * Values read from the database, kept until a row they were read from changes (RowChangeFeed), or
 * at most `ttlMs`, least recently used first out beyond `maxEntries`. Nothing is kept while the
 * feed does not listen (changes would go unheard), and a read that overlapped a change is not
 * kept, so a notice can never be overtaken by the stale value it was meant to drop. The process's
 * own writes call `rowChanged` at once, so they are seen without waiting for their notice.
 */
export class RowCache<V> implements RowChangeListener {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly keysByRow = new Map<string, Set<string>>();
  /** Bumped by every change notice: a read started before a bump may hold a stale value. */
  private generation = 0;
  private listening = false;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly clock: () => number = Date.now,
  ) {}

  async get(key: string, load: () => Promise<Loaded<V>>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.clock()) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.value;
    }
    if (entry) this.drop(key);
    const started = this.generation;
    const loaded = await load();
    // A value read from no row (a lookup that found nothing by a non-id key) has nothing to announce its change.
    if (this.listening && this.generation === started && loaded.rows.length > 0) this.keep(key, loaded);
    return loaded.value;
  }

  rowChanged(row: string): void {
    this.generation += 1;
    for (const key of this.keysByRow.get(row) ?? []) this.drop(key);
  }

  listeningChanged(listening: boolean): void {
    this.listening = listening;
    this.generation += 1;
    this.entries.clear();
    this.keysByRow.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private keep(key: string, { value, rows }: Loaded<V>): void {
    this.drop(key);
    this.entries.set(key, { value, rows, expiresAt: this.clock() + this.ttlMs });
    for (const row of rows) {
      const keys = this.keysByRow.get(row) ?? new Set<string>();
      keys.add(key);
      this.keysByRow.set(row, keys);
    }
    if (this.entries.size > this.maxEntries) this.drop(this.entries.keys().next().value as string);
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    for (const row of entry.rows) {
      const keys = this.keysByRow.get(row);
      keys?.delete(key);
      if (keys?.size === 0) this.keysByRow.delete(row);
    }
  }
}
