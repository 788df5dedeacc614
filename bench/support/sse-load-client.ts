import { request, type IncomingMessage } from 'node:http';

/** The marker the benchmark's events carry in their text: `bench <seq> <producer time in ms>`. */
const BENCH_TEXT_MARKER = '"text":"bench ';

/**
 * One lightweight SSE client for load: a raw HTTP request, messages split on blank lines, and
 * from each benchmark event only its sequence number and producer timestamp (found by string
 * search, no JSON parse), so a thousand of them in one process cost little next to the gateway.
 */
export class SseLoadClient {
  ready = false;
  ended = false;
  received = 0;
  private pending = '';
  private response?: IncomingMessage;

  constructor(private readonly onEvent: (seq: number, producedAtMs: number, receivedAtMs: number) => void) {}

  connect(url: string, headers: Record<string, string>): Promise<void> {
    return new Promise((resolve, reject) => {
      const outgoing = request(url, { agent: false, headers: { accept: 'text/event-stream', ...headers } }, (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`GET /events answered ${response.statusCode}`));
          response.resume();
          return;
        }
        this.response = response;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => this.feed(chunk, performance.timeOrigin + performance.now()));
        response.on('close', () => (this.ended = true));
        resolve();
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
  }

  close(): void {
    this.response?.destroy();
  }

  private feed(chunk: string, receivedAtMs: number): void {
    const text = this.pending + chunk;
    let start = 0;
    for (let end = text.indexOf('\n\n', start); end >= 0; end = text.indexOf('\n\n', start)) {
      this.message(text.slice(start, end), receivedAtMs);
      start = end + 2;
    }
    this.pending = text.slice(start);
  }

  private message(message: string, receivedAtMs: number): void {
    if (!this.ready && message.includes('event: stream.ready')) this.ready = true;
    const at = message.indexOf(BENCH_TEXT_MARKER);
    if (at < 0) return;
    const fields = message.slice(at + BENCH_TEXT_MARKER.length, message.indexOf('"', at + BENCH_TEXT_MARKER.length)).split(' ');
    this.received += 1;
    this.onEvent(Number(fields[0]), Number(fields[1]), receivedAtMs);
  }
}
