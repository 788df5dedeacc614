import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { RowChangeFeed } from './row-change.feed';
import { RowCache } from './row.cache';

/** Tables whose rows processes may cache (each has a change-notify trigger). */
export type CachedTable = 'sessions' | 'users' | 'user_api_keys' | 'session_tokens';

export interface RowCacheOptions {
  /** Longest a cached row is used without a fresh read. */
  ttlMs: number;
  maxEntries: number;
}

export const ROW_CACHE_OPTIONS = Symbol('ROW_CACHE_OPTIONS');

/**
 * The row caches of a process's repositories. With options (the gateway, which reads the same
 * sessions, users and credentials on every request) repositories keep what they read until the
 * row changes; without (workers and background apps) every read goes to the database. A
 * repository announces its own writes here at once; other processes' writes arrive through
 * RowChangeFeed.
 */
@Injectable()
export class RowCaches implements OnModuleInit {
  private readonly caches = new Map<CachedTable, RowCache<unknown>[]>();

  constructor(
    private readonly feed: RowChangeFeed,
    @Inject(ROW_CACHE_OPTIONS) private readonly options: RowCacheOptions | null,
  ) {}

  /** A cache for values read from `table` (inert when caching is off). */
  cacheFor<V>(table: CachedTable): RowCache<V> {
    const cache = new RowCache<V>(this.options?.ttlMs ?? 0, this.options?.maxEntries ?? 0);
    this.caches.set(table, [...(this.caches.get(table) ?? []), cache]);
    return cache;
  }

  /** This process changed a row: drop what was read from it now, before its notice comes back. */
  changed(table: CachedTable, id: string): void {
    for (const cache of this.caches.get(table) ?? []) cache.rowChanged(`${table}:${id}`);
  }

  async onModuleInit(): Promise<void> {
    if (!this.options) return;
    for (const cache of [...this.caches.values()].flat()) await this.feed.subscribe(cache);
  }
}
