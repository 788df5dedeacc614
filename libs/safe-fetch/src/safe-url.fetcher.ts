import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { isIP } from 'node:net';
import type { Dispatcher } from 'undici';
import { AddressPolicy, bareHost, BlockedDestinationError } from './address.policy';

/** The undici dispatcher whose sockets resolve names through the address policy. */
export const SAFE_FETCH_DISPATCHER = Symbol('SAFE_FETCH_DISPATCHER');

export type SafeFetchFailure = 'invalid-url' | 'blocked' | 'too-large' | 'too-many-redirects' | 'timeout' | 'network';

/** Why an outbound fetch did not produce a response; callers map it onto their own errors. */
export class SafeFetchError extends Error {
  constructor(
    readonly reason: SafeFetchFailure,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'SafeFetchError';
  }
}

export interface SafeFetchRequest {
  method?: 'GET' | 'HEAD' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Largest body read; a longer one (declared or streamed) fails with `too-large`. */
  maxBytes: number;
  /** Budget of the whole exchange, every redirect included. */
  timeoutMs: number;
  /** Redirects followed, each hop checked again; 0 returns the redirect response itself. */
  maxRedirects: number;
}

export interface SafeFetchResponse {
  status: number;
  /** Lower-case names; repeated headers keep their first value. */
  headers: Record<string, string>;
  body: Buffer;
  /** Where the response came from after redirects. */
  url: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Credentials of the first origin never travel to another one (as in the Fetch standard). */
const ORIGIN_BOUND_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) flat[name.toLowerCase()] = first;
  }
  return flat;
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current && chain.length < 5; current = (current as { cause?: unknown }).cause) chain.push(current);
  return chain;
}

/**
 * HTTP(S) requests to addresses chosen by API callers (media URLs, later webhooks) that cannot be
 * turned against the private network: only http/https, every redirect hop re-checked, IP literals
 * checked here and host names checked on the addresses the socket actually connects to (see
 * AddressPolicy.guardedLookup), bodies capped while streaming, one deadline for everything.
 */
@Injectable()
export class SafeUrlFetcher implements OnApplicationShutdown {
  constructor(
    private readonly policy: AddressPolicy,
    @Inject(SAFE_FETCH_DISPATCHER) private readonly dispatcher: Dispatcher,
  ) {}

  async fetch(url: string, request: SafeFetchRequest): Promise<SafeFetchResponse> {
    const deadline = AbortSignal.timeout(request.timeoutMs);
    let target = this.checkedUrl(url);
    let method = request.method ?? 'GET';
    let body = request.body;
    let headers = { ...request.headers };
    for (let redirects = 0; ; redirects += 1) {
      const response = await this.send(target, { method, headers, body, deadline, timeoutMs: request.timeoutMs });
      const location = response.headers.location;
      if (REDIRECTS.has(response.statusCode) && typeof location === 'string' && request.maxRedirects > 0) {
        await response.body.dump().catch(() => undefined);
        if (redirects >= request.maxRedirects) {
          throw new SafeFetchError('too-many-redirects', `more than ${request.maxRedirects} redirects`, { url });
        }
        const next = this.checkedUrl(location, target);
        if (next.origin !== target.origin) {
          headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !ORIGIN_BOUND_HEADERS.has(name.toLowerCase())));
        }
        // 303 always, and 301/302 after a POST, continue as GET without a body (as browsers do).
        if (response.statusCode === 303 || (method === 'POST' && response.statusCode !== 307 && response.statusCode !== 308)) {
          method = method === 'HEAD' ? 'HEAD' : 'GET';
          body = undefined;
        }
        target = next;
        continue;
      }
      const payload = method === 'HEAD' ? await this.discard(response) : await this.readCapped(response, request.maxBytes, deadline);
      return { status: response.statusCode, headers: flatHeaders(response.headers), body: payload, url: target.toString() };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.close();
  }

  /** Parses and checks one hop: scheme, and the address when the host is an IP literal. */
  private checkedUrl(raw: string, base?: URL): URL {
    let parsed: URL;
    try {
      parsed = new URL(raw, base);
    } catch {
      throw new SafeFetchError('invalid-url', 'not a valid absolute URL', { url: raw });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new SafeFetchError('invalid-url', `only http and https URLs are fetched, not ${parsed.protocol.replace(':', '')}`, { url: raw });
    }
    if (parsed.username || parsed.password) throw new SafeFetchError('invalid-url', 'URLs with credentials are not fetched', {});
    const host = bareHost(parsed.hostname);
    // Sockets skip the lookup for IP literals (the URL parser has already turned 0x7f000001 into 127.0.0.1).
    const refusal = isIP(host) !== 0 && !this.policy.isHostAllowListed(host) ? this.policy.refusal(host) : null;
    if (refusal) throw new SafeFetchError('blocked', `destination refused: ${refusal}`, { host });
    return parsed;
  }

  private async send(
    target: URL,
    options: { method: string; headers: Record<string, string>; body?: string | Buffer; deadline: AbortSignal; timeoutMs: number },
  ): Promise<Dispatcher.ResponseData> {
    try {
      return await this.dispatcher.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: options.method,
        headers: options.headers,
        body: options.body ?? null,
        signal: options.deadline,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
    } catch (error) {
      throw this.failure(error, options.deadline, target);
    }
  }

  private async readCapped(response: Dispatcher.ResponseData, maxBytes: number, deadline: AbortSignal): Promise<Buffer> {
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      response.body.destroy();
      throw new SafeFetchError('too-large', `the response declares ${declared} bytes, more than the limit of ${maxBytes}`, {
        declaredBytes: declared,
        maxBytes,
      });
    }
    const chunks: Buffer[] = [];
    let received = 0;
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        received += chunk.length;
        // Checked while streaming: a missing or lying content-length cannot make us buffer more.
        if (received > maxBytes) {
          response.body.destroy();
          throw new SafeFetchError('too-large', `the response is larger than the limit of ${maxBytes} bytes`, { maxBytes });
        }
        chunks.push(chunk);
      }
    } catch (error) {
      if (error instanceof SafeFetchError) throw error;
      throw this.failure(error, deadline);
    }
    return Buffer.concat(chunks, received);
  }

  private async discard(response: Dispatcher.ResponseData): Promise<Buffer> {
    await response.body.dump().catch(() => undefined);
    return Buffer.alloc(0);
  }

  private failure(error: unknown, deadline: AbortSignal, target?: URL): SafeFetchError {
    const blocked = causes(error).find((cause): cause is BlockedDestinationError => cause instanceof BlockedDestinationError);
    if (blocked) return new SafeFetchError('blocked', `destination refused: ${blocked.message}`, { host: target?.hostname });
    const name = (error as { name?: string; code?: string } | undefined)?.code ?? (error as { name?: string } | undefined)?.name;
    if (deadline.aborted || /Timeout/i.test(name ?? '')) return new SafeFetchError('timeout', 'the remote server did not answer in time', {});
    const message = error instanceof Error ? error.message : String(error);
    return new SafeFetchError('network', `the request failed: ${message}`, { host: target?.hostname });
  }
}
