import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * JSON documents in a directory, one file per key. Writes are coalesced per key and flushed
 * shortly after the last change (and on close), written to a temp file then renamed, so a
 * crash never leaves half a document.
 */
export class JsonFileStore {
  private readonly pending = new Map<string, () => unknown>();
  private timer?: NodeJS.Timeout;

  constructor(
    readonly directory: string,
    private readonly flushDelayMs = 100,
  ) {
    mkdirSync(directory, { recursive: true });
  }

  read<T>(key: string): T | undefined {
    try {
      return JSON.parse(readFileSync(this.pathOf(key), 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Keys stored under a folder prefix, e.g. `list('phones')` → `['phones/6281…']`. */
  list(folder: string): string[] {
    try {
      return readdirSync(join(this.directory, folder))
        .filter((name) => name.endsWith('.json'))
        .map((name) => `${folder}/${name.slice(0, -'.json'.length)}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  /** Schedules a write; `snapshot` is called at flush time so bursts of changes cost one write. */
  write(key: string, snapshot: () => unknown): void {
    this.pending.set(key, snapshot);
    this.timer ??= setTimeout(() => this.flush(), this.flushDelayMs);
  }

  /** Writes immediately; for data that must survive an instant crash (e.g. root keys). */
  writeNow(key: string, value: unknown): void {
    this.pending.delete(key);
    this.writeFile(key, value);
  }

  remove(key: string): void {
    this.pending.delete(key);
    rmSync(this.pathOf(key), { force: true });
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending];
    this.pending.clear();
    for (const [key, snapshot] of batch) this.writeFile(key, snapshot());
  }

  private writeFile(key: string, value: unknown): void {
    const path = this.pathOf(key);
    mkdirSync(dirname(path), { recursive: true });
    const temp = `${path}.tmp`;
    writeFileSync(temp, JSON.stringify(value));
    renameSync(temp, path);
  }

  private pathOf(key: string): string {
    return join(this.directory, `${key}.json`);
  }
}
