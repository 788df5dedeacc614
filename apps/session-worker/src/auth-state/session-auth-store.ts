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
 * Keys read or written are cached decoded, missing ones too (a send looks up keys that do not
 * exist, such as the contact's tctoken, several times): the lease makes this runtime the session's
 * only writer, so its own writes keep the cache exact, and a send decodes nothing it decoded before.
 * A write updates the cache when it starts, as Baileys reads its own writes; one that fails
 * forgets those keys, the stored state being unknown then.
 */
export class SessionAuthStore implements AuthStore {
  private cleared = false;
  private readonly inFlight = new Set<Promise<void>>();
  /** type + id → decoded value, null when known to be absent; oldest use first. */
  private readonly cache = new Map<string, unknown>();

  constructor(
    private readonly repository: AuthStateRepository,
    private readonly writer: AuthKeyWriter,
    private readonly codec: AuthValueCodec,
    private readonly sessionId: string,
    private readonly epoch: number,
  ) {}

  async loadCreds(): Promise<unknown | null> {
    const json = await this.repository.loadCreds(this.sessionId);
    return json === null ? null : this.codec.decode(json);
  }

  async getKeys(type: string, ids: string[]): Promise<Map<string, unknown>> {
    if (UNCACHED_TYPES.has(type)) return this.decoded(await this.repository.getKeys(this.sessionId, type, ids));
    const found = new Map<string, unknown>();
    const unknown: string[] = [];
    for (const id of ids) {
      const key = cacheKey(type, id);
      if (!this.cache.has(key)) {
        unknown.push(id);
        continue;
      }
      const value = this.cache.get(key);
      this.remember(key, value);
      if (value !== null) found.set(id, value);
    }
    if (unknown.length === 0) return found;
    const read = this.decoded(await this.repository.getKeys(this.sessionId, type, unknown));
    for (const id of unknown) {
      const key = cacheKey(type, id);
      // A write that started while the read was out is newer than what the read saw.
      if (!this.cache.has(key)) this.remember(key, read.get(id) ?? null);
      const value = this.cache.get(key) ?? null;
      if (value !== null) found.set(id, value);
    }
    return found;
  }

  saveCreds(creds: unknown): Promise<void> {
    return this.track(() => this.repository.saveCreds(this.sessionId, this.epoch, this.codec.encode(creds)));
  }

  async writeKeys(writes: KeyWrite[]): Promise<void> {
    if (this.cleared) return;
    const cached = writes.filter((write) => !UNCACHED_TYPES.has(write.type));
    for (const write of cached) this.remember(cacheKey(write.type, write.id), write.value);
    const encoded = writes.map((write) => ({ type: write.type, id: write.id, json: write.value === null ? null : this.codec.encode(write.value) }));
    try {
      await this.track(() => this.writer.write({ sessionId: this.sessionId, epoch: this.epoch, writes: encoded }));
    } catch (error) {
      for (const write of cached) this.cache.delete(cacheKey(write.type, write.id));
      throw error;
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

  private decoded(stored: Map<string, string>): Map<string, unknown> {
    return new Map([...stored].map(([id, json]) => [id, this.codec.decode(json)]));
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
