import type { AuthStateRepository } from '@app/db';
import type { AuthStore, AuthValueCodec, KeyWrite } from '../whatsapp/whatsapp-connection';
import type { AuthKeyWriter } from './auth-key.writer';

/** Keys remembered per runtime: a send touches a handful (session, tctoken, device list, LID mapping). */
const CACHE_LIMIT = 256;

/**
 * One-time pre-keys are written by the hundred at link time and read only when a contact opens a
 * Signal session: caching them would cost ~0.3 MiB per session for nothing.
 */
const UNCACHED_TYPES = new Set(['pre-key']);

/**
 * One runtime's view of its session's auth state. Clearing it (logout, wipe, unlink from the phone)
 * first shuts the door on writes and waits for those in flight, so a late key or creds write from the
 * closing socket cannot bring deleted credentials back.
 *
 * Reads always see this runtime's own writes, which the lease makes the only ones: a key being
 * written is answered from the write, and a database read that overlapped a write of a key does
 * not answer for that key (it is read again). This is what Signal needs: a session record read
 * before the previous message's write landed would send the next message with a reused message
 * key, which the recipient cannot decrypt.
 *
 * On top, keys read or written are cached decoded, missing ones too (a send looks up keys that do
 * not exist, such as the contact's tctoken, several times), least recently used first out.
 */
export class SessionAuthStore implements AuthStore {
  private cleared = false;
  private readonly inFlight = new Set<Promise<void>>();
  /** type + id → decoded value, null when known to be absent; oldest use first. */
  private readonly cache = new Map<string, unknown>();
  /** type + id → the latest value of a write still in flight (null: a deletion). */
  private readonly writing = new Map<string, { value: unknown; version: number }>();
  private writeVersion = 0;
  /** Database reads in flight, and the keys written since the oldest of them began. */
  private readsInFlight = 0;
  private readonly writtenDuringReads = new Set<string>();

  constructor(
    private readonly repository: AuthStateRepository,
    private readonly writer: AuthKeyWriter,
    private readonly codec: AuthValueCodec,
    private readonly sessionId: string,
    private readonly epoch: number,
  ) {}

  async loadCreds(): Promise<unknown> {
    const json = await this.repository.loadCreds(this.sessionId);
    return json === null ? null : this.codec.decode(json);
  }

  async getKeys(type: string, ids: string[]): Promise<Map<string, unknown>> {
    const found = new Map<string, unknown>();
    let unknown = ids.filter((id) => !this.known(type, id, found));
    // A read that overlapped a write of one of its keys cannot tell which it saw: ask again for those.
    for (let attempt = 0; unknown.length > 0; attempt += 1) {
      const { read, overlapped } = await this.readFromDatabase(type, unknown);
      unknown = [];
      for (const [id, value] of read) {
        const key = cacheKey(type, id);
        if (this.known(type, id, found)) continue;
        if (overlapped.has(key) && attempt < 3) {
          unknown.push(id);
          continue;
        }
        if (!UNCACHED_TYPES.has(type)) this.remember(key, value);
        if (value !== null) found.set(id, value);
      }
    }
    return found;
  }

  saveCreds(creds: unknown): Promise<void> {
    return this.track(() => this.repository.saveCreds(this.sessionId, this.epoch, this.codec.encode(creds)));
  }

  async writeKeys(writes: KeyWrite[]): Promise<void> {
    if (this.cleared) return;
    const version = ++this.writeVersion;
    for (const write of writes) {
      const key = cacheKey(write.type, write.id);
      this.writing.set(key, { value: write.value, version });
      if (this.readsInFlight > 0) this.writtenDuringReads.add(key);
      if (!UNCACHED_TYPES.has(write.type)) this.remember(key, write.value);
    }
    const encoded = writes.map((write) => ({ type: write.type, id: write.id, json: write.value === null ? null : this.codec.encode(write.value) }));
    try {
      await this.track(() => this.writer.write({ sessionId: this.sessionId, epoch: this.epoch, writes: encoded }));
    } catch (error) {
      // The stored state is unknown now: forget what this write said, and read it again next time.
      for (const write of writes) this.cache.delete(cacheKey(write.type, write.id));
      throw error;
    } finally {
      for (const write of writes) {
        const key = cacheKey(write.type, write.id);
        if (this.writing.get(key)?.version === version) this.writing.delete(key);
      }
    }
  }

  /** No write on its way to storage (a planned hand-over waits for this before letting the lease go). */
  get settled(): boolean {
    return this.inFlight.size === 0;
  }

  async clear(): Promise<void> {
    this.cleared = true;
    this.cache.clear();
    await Promise.allSettled([...this.inFlight]);
    await this.repository.clear(this.sessionId);
  }

  /** Answers from a write in flight or the cache; false when the database must be asked. */
  private known(type: string, id: string, found: Map<string, unknown>): boolean {
    const key = cacheKey(type, id);
    const pending = this.writing.get(key);
    if (pending) {
      if (pending.value !== null) found.set(id, pending.value);
      return true;
    }
    if (UNCACHED_TYPES.has(type) || !this.cache.has(key)) return false;
    const value = this.cache.get(key);
    this.remember(key, value);
    if (value !== null) found.set(id, value);
    return true;
  }

  /** Every asked id with its stored value (null when absent), and which of them were written meanwhile. */
  private async readFromDatabase(type: string, ids: string[]): Promise<{ read: Map<string, unknown>; overlapped: Set<string> }> {
    this.readsInFlight += 1;
    try {
      const stored = await this.repository.getKeys(this.sessionId, type, ids);
      const read = new Map(ids.map((id): [string, unknown] => [id, stored.has(id) ? this.codec.decode(stored.get(id)!) : null]));
      return { read, overlapped: new Set(ids.map((id) => cacheKey(type, id)).filter((key) => this.writtenDuringReads.has(key))) };
    } finally {
      this.readsInFlight -= 1;
      if (this.readsInFlight === 0) this.writtenDuringReads.clear();
    }
  }

  private remember(key: string, value: unknown): void {
    this.cache.delete(key);
    this.cache.set(key, value);
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
  }

  private track(write: () => Promise<void>): Promise<void> {
    if (this.cleared) return Promise.resolve();
    const pending = write();
    this.inFlight.add(pending);
    const forget = () => this.inFlight.delete(pending);
    pending.then(forget, forget);
    return pending;
  }
}

const cacheKey = (type: string, id: string): string => `${type}\u0000${id}`;
