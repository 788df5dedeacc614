import type { ServerResponse } from 'node:http';
import { filterAccepts, type LiveEventFilter } from './live-event.filter';
import { compareStreamIds, SSE_KEEP_ALIVE, sseReady, type LiveEventFrame } from './live-event.frames';

/**
 * One client's event stream. While it replays (Last-Event-ID) the live events it may see wait
 * in a queue; afterwards they are written as they come. Both are bounded by `maxBufferedBytes`:
 * a client that falls that far behind is disconnected (its reconnect replays from Redis), so a
 * slow or stalled client never grows the gateway's memory. Nothing is written twice or out of
 * order: every write carries a stream id newer than the last one.
 */
export class LiveEventSubscriber {
  private live = false;
  private closed = false;
  private pending: LiveEventFrame[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly response: ServerResponse,
    readonly filter: LiveEventFilter,
    /** The newest event id the client has (or was told to resume from). */
    private lastSentId: string,
    private readonly maxBufferedBytes: number,
    private readonly onDropped: () => void,
  ) {}

  get isClosed(): boolean {
    return this.closed || this.response.destroyed;
  }

  /** A live event from the hub. */
  offer(frame: LiveEventFrame): void {
    if (this.isClosed || !filterAccepts(this.filter, frame)) return;
    if (this.live) return this.send(frame);
    this.pending.push(frame);
    this.pendingBytes += frame.text.length;
    if (this.pendingBytes > this.maxBufferedBytes) this.drop();
  }

  /**
   * A replayed event. Replay goes at the client's pace: past half the budget it waits until
   * this event has been handed to the socket (or the client left), so a long replay never
   * buffers more than that.
   */
  async replay(frame: LiveEventFrame): Promise<void> {
    if (this.isClosed || !filterAccepts(this.filter, frame) || compareStreamIds(frame.streamId, this.lastSentId) <= 0) return;
    const flushed = new Promise<void>((resolve) => this.response.write(frame.text, () => resolve()));
    this.lastSentId = frame.streamId;
    if (this.response.writableLength > this.maxBufferedBytes / 2) await this.untilFlushedOrClosed(flushed);
  }

  /** Writes a message outside the event sequence (the retention gap) and moves the resume point to `id`. */
  skipTo(id: string, text: string): void {
    if (this.isClosed) return;
    this.response.write(text);
    this.lastSentId = id;
  }

  /** Replay done: `stream.ready`, the queued live events, then every new one as it comes. */
  goLive(): void {
    if (this.isClosed) return;
    this.response.write(sseReady(this.lastSentId));
    const queued = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.live = true;
    for (const frame of queued) this.send(frame);
  }

  keepAlive(): void {
    if (!this.isClosed && this.response.writableLength === 0) this.response.write(SSE_KEEP_ALIVE);
  }

  /** Ends the stream cleanly (shutdown); EventSource reconnects, to another replica if this one is going. */
  close(): void {
    if (this.isClosed) return;
    this.closed = true;
    this.response.end();
  }

  private send(frame: LiveEventFrame): void {
    if (this.isClosed || compareStreamIds(frame.streamId, this.lastSentId) <= 0) return;
    // An event larger than the whole budget still goes out alone, or that client could never get past it.
    const buffered = this.response.writableLength;
    if (buffered > 0 && buffered + frame.text.length > this.maxBufferedBytes) return this.drop();
    this.response.write(frame.text);
    this.lastSentId = frame.streamId;
  }

  private drop(): void {
    if (this.isClosed) return;
    this.closed = true;
    this.pending = [];
    this.response.destroy();
    this.onDropped();
  }

  private untilFlushedOrClosed(flushed: Promise<void>): Promise<void> {
    let onClose!: () => void;
    const closed = new Promise<void>((resolve) => (onClose = resolve));
    this.response.once('close', onClose);
    return Promise.race([flushed, closed]).finally(() => this.response.off('close', onClose));
  }
}
