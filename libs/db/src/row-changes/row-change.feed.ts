import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Notification, PoolClient } from 'pg';
import { DatabasePool } from '../database-pool';

/** The channel the row-change triggers notify on (migration 20261202160000_row_change_notifications). */
const CHANNEL = 'wagw_row_changes';
const RECONNECT_MS = 1_000;

/** What a subscriber hears: a row that changed (`<table>:<id>`), and whether changes are heard at all. */
export interface RowChangeListener {
  rowChanged(row: string): void;
  /** The feed started or stopped listening: changes made while it was not were not heard. */
  listeningChanged(listening: boolean): void;
}

/**
 * Changes to the rows other processes may have cached (sessions, users, API keys, session tokens),
 * heard through PostgreSQL's LISTEN/NOTIFY: triggers announce every committed insert, update and
 * delete, so a cache is dropped whoever made the change, and nothing has to remember to tell it.
 * One pooled connection listens while anyone subscribes; after a dropped connection every
 * subscriber is told it may have missed changes.
 */
@Injectable()
export class RowChangeFeed implements OnApplicationShutdown {
  private readonly listeners = new Set<RowChangeListener>();
  private client: PoolClient | null = null;
  private connecting: Promise<void> | null = null;
  private retry?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly pool: DatabasePool) {}

  /** Starts listening with the first subscriber; resolves once the feed listens (or will retry). */
  subscribe(listener: RowChangeListener): Promise<void> {
    this.listeners.add(listener);
    listener.listeningChanged(this.client !== null);
    return this.listen();
  }

  get listening(): boolean {
    return this.client !== null;
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.connecting;
    const client = this.client;
    this.client = null;
    client?.release(true);
  }

  private listen(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    let client: PoolClient | undefined;
    try {
      client = await this.pool.connect();
      client.on('notification', (message: Notification) => this.heard(message));
      client.on('error', () => this.lost(client!));
      client.on('end', () => this.lost(client!));
      await client.query(`LISTEN ${CHANNEL}`);
      this.client = client;
      for (const listener of this.listeners) listener.listeningChanged(true);
    } catch {
      client?.release(true);
      this.scheduleRetry();
    }
  }

  private heard(message: Notification): void {
    if (message.channel !== CHANNEL || !message.payload) return;
    for (const listener of this.listeners) listener.rowChanged(message.payload);
  }

  private lost(client: PoolClient): void {
    if (this.client !== client) return;
    this.client = null;
    client.release(true);
    for (const listener of this.listeners) listener.listeningChanged(false);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed) return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.listen(), RECONNECT_MS);
  }
}
