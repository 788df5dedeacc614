import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { LIVE_EVENT_NAMES, type LiveEvent, type LiveEventName } from '@app/contracts';
import { eventually } from './suite-harness';

const LIVE_NAMES = new Set<string>(LIVE_EVENT_NAMES);

/**
 * One live-event stream opened with fetch, recording every message and comment as it arrives,
 * for assertions on order, ids and what a caller must never see.
 */
export class SseRecorder {
  readonly messages: EventSourceMessage[] = [];
  readonly comments: string[] = [];
  /** Resolves when the server ends the stream (or it breaks). */
  readonly ended: Promise<void>;
  private readonly abort = new AbortController();
  private endedFlag = false;

  private constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly body: unknown,
    stream: ReadableStream<Uint8Array> | null,
  ) {
    this.ended = stream ? this.pump(stream) : Promise.resolve();
  }

  /** Opens `url`; a refused stream keeps its status and JSON body and records nothing. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseRecorder> {
    const abort = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
      return new SseRecorder(response.status, response.headers, await response.json().catch(() => null), null);
    }
    const recorder = new SseRecorder(response.status, response.headers, null, response.body);
    recorder.abort.signal.addEventListener('abort', () => abort.abort());
    return recorder;
  }

  /** Opens a stream and waits for its `stream.ready` message (replay done, live from here). */
  static async ready(url: string, headers: Record<string, string> = {}): Promise<SseRecorder> {
    const recorder = await SseRecorder.open(url, headers);
    if (recorder.status !== 200) throw new Error(`GET ${url} answered ${recorder.status}: ${JSON.stringify(recorder.body)}`);
    await recorder.waitFor((messages) => messages.some((message) => message.event === 'stream.ready'), 10_000, 'stream.ready');
    return recorder;
  }

  get isEnded(): boolean {
    return this.endedFlag;
  }

  /** The live events received (no stream.* messages), parsed. */
  events<E extends LiveEventName = LiveEventName>(name?: E): Array<LiveEvent<E> & { streamId: string }> {
    return this.messages
      .filter((message) => message.event && LIVE_NAMES.has(message.event) && (!name || message.event === name))
      .map((message) => ({ ...(JSON.parse(message.data) as LiveEvent<E>), streamId: message.id! }));
  }

  /** The id of the last message that had one (what a reconnect sends as Last-Event-ID). */
  get lastEventId(): string | undefined {
    return [...this.messages].reverse().find((message) => message.id)?.id;
  }

  async waitFor(check: (messages: EventSourceMessage[]) => boolean, timeoutMs: number, what: string): Promise<void> {
    await eventually(async () => (check(this.messages) ? true : undefined), timeoutMs, `${what} (got: ${this.messages.map((m) => m.event).join(', ')})`);
  }

  close(): void {
    this.abort.abort();
  }

  private async pump(stream: ReadableStream<Uint8Array>): Promise<void> {
    const parser = createParser({ onEvent: (message) => this.messages.push(message), onComment: (comment) => this.comments.push(comment) });
    const decoder = new TextDecoder();
    try {
      for await (const chunk of stream) parser.feed(decoder.decode(chunk, { stream: true }));
    } catch {
      // Aborted by close(), or the server dropped the connection: either way the stream ended.
    } finally {
      this.endedFlag = true;
    }
  }
}
