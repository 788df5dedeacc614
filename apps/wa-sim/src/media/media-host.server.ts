import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { isIPv6 } from 'node:net';
import { hostname as machineHostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { sha256 } from './media.crypto';
import { MediaBlobStore } from './media-blob.store';
import { MediaIdentityService } from './media-identity.service';
import { isWildcardHost, MEDIA_OPTIONS, type MediaOptions } from './media.options';

/** Announced to companions in `media_conn`; larger uploads get 413. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

const UPLOAD_PATH = /^\/mms\/[a-z-]+\/([A-Za-z0-9_-]+)$/;

/**
 * The simulated WhatsApp media CDN, over HTTPS because Baileys always builds `https://` URLs.
 * `POST /mms/<type>/<fileEncSha256>?auth=…&token=…` stores an encrypted blob (the auth token
 * comes from `media_conn`, the body must hash to the path) and answers `{ url, direct_path }`;
 * `GET <direct_path>` serves it back (single byte ranges supported, as Baileys may ask for them).
 * Its own port, separate from the plain-HTTP control API.
 */
@Injectable()
export class MediaHostServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MediaHost');
  private server?: Server;
  private port = 0;
  private corruptNext = 0;

  constructor(
    @Inject(MEDIA_OPTIONS) private readonly options: MediaOptions,
    private readonly identity: MediaIdentityService,
    private readonly blobs: MediaBlobStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { key, cert } = this.identity.serverCertificate(this.certificateNames());
    const server = createServer({ key, cert }, (request, response) => void this.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  }

  /** `host:port` as `media_conn` announces it and media URLs carry it. */
  get authority(): string {
    const host = this.options.publicHostname;
    return `${isIPv6(host) ? `[${host}]` : host}:${this.port}`;
  }

  get baseUrl(): string {
    return `https://${this.authority}`;
  }

  /** Where the simulator itself reaches the host (its listen address, loopback for a wildcard). */
  get internalBaseUrl(): string {
    const host = isWildcardHost(this.options.host) ? '127.0.0.1' : this.options.host;
    return `https://${isIPv6(host) ? `[${host}]` : host}:${this.port}`;
  }

  /** Fault: the next `count` uploads are accepted but stored with one byte flipped. */
  corruptNextUploads(count: number): number {
    this.corruptNext += count;
    return this.corruptNext;
  }

  private certificateNames(): string[] {
    const { host, publicHostname } = this.options;
    const names = ['localhost', '127.0.0.1', '::1', publicHostname, machineHostname(), ...(isWildcardHost(host) ? [] : [host])];
    return [...new Set(names.filter(Boolean))];
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = new URL(request.url ?? '/', 'https://media.invalid');
      if (request.method === 'POST') return await this.upload(request, response, url);
      if (request.method === 'GET') return await this.download(request, response, url);
      reply(response, 405, { error: `method ${request.method} not allowed` });
    } catch (error) {
      this.logger.error(`${request.method} ${request.url} failed: ${(error as Error).stack}`);
      if (!response.headersSent) reply(response, 500, { error: 'internal error' });
    }
  }

  private async upload(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const hash = UPLOAD_PATH.exec(url.pathname)?.[1];
    if (!hash) return reply(response, 404, { error: 'unknown upload path' });
    if (!this.identity.verifyAuthToken(url.searchParams.get('auth') ?? '')) {
      return reply(response, 401, { error: 'missing, invalid or expired media auth token' });
    }
    const body = await readBody(request, MAX_UPLOAD_BYTES);
    if (!body) return reply(response, 413, { error: `uploads are limited to ${MAX_UPLOAD_BYTES} bytes` });
    if (sha256(body).toString('base64url') !== hash) {
      return reply(response, 400, { error: 'the body does not hash to the fileEncSha256 in the path' });
    }
    if (this.corruptNext > 0) {
      this.corruptNext--;
      body[0] ^= 0xff;
    }
    const directPath = await this.blobs.put(body);
    this.logger.debug(`stored ${body.length} bytes at ${directPath}`);
    reply(response, 200, { url: `${this.baseUrl}${directPath}`, direct_path: directPath });
  }

  private async download(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const blob = await this.blobs.get(url.pathname);
    if (!blob) return reply(response, 404, { error: 'no such media' });
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    const headers = { 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes' };
    if (!range) {
      response.writeHead(200, { ...headers, 'content-length': blob.length });
      return void response.end(blob);
    }
    const start = Number(range[1]);
    const end = Math.min(range[2] ? Number(range[2]) : blob.length - 1, blob.length - 1);
    if (start > end) {
      response.writeHead(416, { 'content-range': `bytes */${blob.length}` });
      return void response.end();
    }
    response.writeHead(206, { ...headers, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${blob.length}` });
    response.end(blob.subarray(start, end + 1));
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** The whole request body, or undefined (and the rest discarded) once it exceeds `limit`. */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(request.headers['content-length'] ?? 0) > limit) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
