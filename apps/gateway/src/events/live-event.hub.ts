import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { PinoLogger } from 'nestjs-pino';
import type { ServerResponse } from 'node:http';
import type { Counter, Gauge } from 'prom-client';
import { GatewayConfig } from '@app/config';
import { METRICS } from '@app/observability';
import { needsOwners, type LiveEventFilter } from './live-event.filter';
import { compareStreamIds, entryFields, previousStreamId, sseGap, sseMessage, sseRetry, type LiveEventFrame, type StreamEntry } from './live-event.frames';
import { LiveEventStream, type StreamPosition } from './live-event.stream';
import { LiveEventSubscriber } from './live-event.subscriber';
import { SessionOwnerCache } from './session-owner.cache';

/** Entries read per XRANGE while a client catches up. */
const REPLAY_BATCH = 500;
/** How long EventSource waits before reconnecting (sent as `retry:`). */
const RECONNECT_DELAY_MS = 2_000;

/**
 * This gateway's live-event clients: the one stream reader (LiveEventReader) hands it every
 * event once, framed once, and it writes each to the clients whose filter accepts it. Also
 * catches resuming clients up from the stream, and sends keep-alive comments on one timer.
 */
@Injectable()
export class LiveEventHub implements BeforeApplicationShutdown {
  private readonly subscribers = new Set<LiveEventSubscriber>();
  /** Clients attached or waiting to attach: while there are none, the reader leaves the stream alone. */
  private wanted = 0;
  private wakeReader: (() => void) | null = null;
  private lastDispatchedId: string | null = null;
  private ready!: Promise<void>;
  private markReady!: () => void;
  private readonly keepAliveTimer: NodeJS.Timeout;

  constructor(
    private readonly stream: LiveEventStream,
    private readonly owners: SessionOwnerCache,
    private readonly config: GatewayConfig,
    @InjectMetric(METRICS.liveEventClients.name) private readonly clients: Gauge<string>,
    @InjectMetric(METRICS.liveEventClientsDropped.name) private readonly dropped: Counter<string>,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(LiveEventHub.name);
    this.resetReady();
    this.keepAliveTimer = setInterval(() => this.keepAlive(), config.LIVE_EVENTS_KEEPALIVE_MS).unref();
  }

  /** The reader knows where the stream stands: clients without Last-Event-ID start from there. */
  startAt(lastId: string): void {
    this.lastDispatchedId = lastId;
    this.markReady();
  }

  get connected(): number {
    return this.subscribers.size;
  }

  /** Resolves once a client is attached or attaching: until then nobody needs the stream read. */
  whenWanted(): Promise<void> {
    if (this.wanted > 0) return Promise.resolve();
    return new Promise((resolve) => (this.wakeReader = resolve));
  }

  /**
   * True when no client is attached or attaching, and then the reader stops: the next client waits
   * for it to read the stream's position again. Checked and reset in one step, so a client is
   * never registered against a position the reader stopped following.
   */
  pauseIfUnwanted(): boolean {
    if (this.wanted > 0) return false;
    this.resetReady();
    return true;
  }

  /**
   * Turns the response into an event stream for `filter`, replaying what came after
   * `lastEventId` first. Resolves once the client is following live events.
   */
  async attach(response: ServerResponse, filter: LiveEventFilter, lastEventId: string | null): Promise<void> {
    this.wanted += 1;
    this.wakeReader?.();
    this.wakeReader = null;
    await this.ready;
    // Gone while it waited: its 'close' has been emitted already, so it must not be registered.
    if (response.destroyed) {
      this.wanted -= 1;
      return;
    }
    const resumeFrom = lastEventId ?? this.lastDispatchedId!;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Proxies such as nginx would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    response.write(sseRetry(RECONNECT_DELAY_MS));
    const subscriber = new LiveEventSubscriber(response, filter, resumeFrom, this.config.LIVE_EVENTS_CLIENT_BUFFER_BYTES, () => this.dropped.inc());
    this.subscribers.add(subscriber);
    this.clients.set(this.subscribers.size);
    response.once('close', () => {
      this.subscribers.delete(subscriber);
      this.wanted -= 1;
      this.clients.set(this.subscribers.size);
    });
    if (lastEventId) {
      try {
        await this.replay(subscriber, lastEventId);
      } catch (error) {
        // The answer has started, so no error envelope: drop the connection, the client's retry replays.
        this.logger.warn({ err: error, lastEventId }, 'live events: replay failed; connection dropped');
        response.destroy();
        return;
      }
    }
    subscriber.goLive();
  }

  /**
   * New entries from the stream, in order: framed once, written to every client that may see
   * them. Throws before writing anything (owner lookup failed): the reader hands the same batch again.
   */
  async dispatch(entries: StreamEntry[]): Promise<void> {
    if (entries.length === 0) return;
    if (this.subscribers.size > 0) {
      const frames = await this.framesOf(
        entries,
        [...this.subscribers].some((subscriber) => needsOwners(subscriber.filter)),
      );
      for (const frame of frames) {
        for (const subscriber of this.subscribers) subscriber.offer(frame);
      }
    }
    // Only now: a client that joined meanwhile starts before this batch, and was offered it.
    this.lastDispatchedId = entries[entries.length - 1][0];
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.keepAliveTimer);
    for (const subscriber of this.subscribers) subscriber.close();
  }

  private resetReady(): void {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  private async replay(subscriber: LiveEventSubscriber, lastEventId: string): Promise<void> {
    const position = await this.stream.position();
    if (compareStreamIds(lastEventId, position.lastId) > 0) {
      // An id this stream never issued (another installation, a reset Redis): start from now.
      subscriber.skipTo(position.lastId, sseGap(lastEventId, position.lastId));
      return;
    }
    let from = lastEventId;
    const lostUpTo = lostAfter(lastEventId, position);
    if (lostUpTo) {
      subscriber.skipTo(lostUpTo, sseGap(lastEventId, lostUpTo));
      from = lostUpTo;
    }
    while (!subscriber.isClosed) {
      const entries = await this.stream.after(from, REPLAY_BATCH);
      for (const frame of await this.framesOf(entries, needsOwners(subscriber.filter))) {
        await subscriber.replay(frame);
        if (subscriber.isClosed) return;
      }
      if (entries.length < REPLAY_BATCH) return;
      from = entries[entries.length - 1][0];
    }
  }

  private async framesOf(entries: StreamEntry[], withOwners: boolean): Promise<LiveEventFrame[]> {
    const parsed = entries.flatMap(([streamId, fields]) => {
      const entry = entryFields(fields);
      return entry ? [{ streamId, ...entry }] : [];
    });
    const owners = withOwners ? await this.owners.ownersOf(parsed.map((entry) => entry.sessionId)) : null;
    return parsed.map(({ streamId, event, sessionId, body }) => ({
      streamId,
      event,
      sessionId,
      ownerUserId: owners?.get(sessionId) ?? null,
      text: sseMessage(streamId, event, body),
    }));
  }

  private keepAlive(): void {
    for (const subscriber of this.subscribers) subscriber.keepAlive();
  }
}

/**
 * The newest id lost to trimming after `lastEventId`, or null when nothing after it was lost.
 * Trimming removes the oldest events, so events are lost when some were trimmed and the client's
 * last one is older than the oldest kept. (If its own event was exactly the newest trimmed, this
 * reports a gap that lost nothing: the safe side, it only makes the client reload.)
 */
function lostAfter(lastEventId: string, position: StreamPosition): string | null {
  if (position.entriesAdded <= position.length || compareStreamIds(lastEventId, position.lastId) >= 0) return null;
  if (position.firstId === null) return position.lastId;
  return compareStreamIds(lastEventId, position.firstId) < 0 ? previousStreamId(position.firstId) : null;
}
