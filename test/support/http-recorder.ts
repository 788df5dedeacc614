import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  /** Date.now() when the request was complete. */
  receivedAt: number;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A scripted answer: status, JSON body, and how long to wait before answering. */
export interface RecordedAnswer {
  status?: number;
  body?: unknown;
  delayMs?: number;
}

/**
 * A local HTTP endpoint standing in for a customer's server (or an AI backend): records every
 * request and answers with the next status of a script (the last one repeats), or with what the
 * handler set by `answerWith` decides.
 */
export class HttpRecorder {
  readonly requests: RecordedRequest[] = [];
  private statuses: number[] = [200];
  private handler?: (request: RecordedRequest) => RecordedAnswer;
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const recorded = {
          receivedAt: Date.now(),
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.requests.push(recorded);
        const answer = this.handler?.(recorded) ?? { status: this.statuses.length > 1 ? this.statuses.shift()! : this.statuses[0] };
        const send = () => {
          if (!res.destroyed) res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body ?? {}));
        };
        if (answer.delayMs) setTimeout(send, answer.delayMs).unref();
        else send();
      });
    });
  }

  /** Answers every request with what `handler` returns (until `respondWith` is called). */
  answerWith(handler: (request: RecordedRequest) => RecordedAnswer): void {
    this.handler = handler;
  }

  /** Listens on `port` (0 = any free one); after stop(), start(samePort) brings the endpoint back. */
  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return this.url;
  }

  /** Where it listens (after start). */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  respondWith(...statuses: number[]): void {
    this.handler = undefined;
    this.statuses = statuses;
  }

  async waitForRequests(count: number, timeoutMs = 10_000): Promise<RecordedRequest[]> {
    const started = Date.now();
    while (this.requests.length < count) {
      if (Date.now() - started > timeoutMs) throw new Error(`expected ${count} requests, got ${this.requests.length}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.requests;
  }

  stop(): Promise<void> {
    // Answers still being delayed must not keep the server (and the test) open.
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
