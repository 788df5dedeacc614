import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { SendingConfig } from '@app/config';
import { AppError } from '@app/contracts';
import { MediaRepository } from '@app/db';
import { SafeFetchError, SafeUrlFetcher, type SafeFetchResponse } from '@app/safe-fetch';
import type { AcceptedMedia, MediaIntakeRequest, MediaSource } from './media-intake.types';
import { MediaPreviewWriter } from './media-preview.writer';
import {
  extensionFor,
  isAllowedMimeType,
  mimeTypeFromFileName,
  normalizeMimeType,
  reportedMimeType,
  resolveMediaKind,
  sanitizeFileName,
  sniffMimeType,
} from './media-type.rules';

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,/i;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** What a source yields before the checks shared by every source. */
interface Received {
  bytes: Buffer;
  declaredType?: string;
  fileName?: string;
}

const tooLarge = (maxBytes: number, what: string, details: Record<string, unknown> = {}): AppError =>
  new AppError('MEDIA_TOO_LARGE', `${what} is larger than the limit of ${maxBytes} bytes`, { maxBytes, ...details });

function fileNameFromDisposition(disposition: string | undefined): string | undefined {
  const encoded = disposition?.match(/filename\*\s*=\s*[^']*'[^']*'([^;]+)/i)?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded.trim());
    } catch {
      return undefined;
    }
  }
  return disposition?.match(/filename\s*=\s*"?([^";]+)"?/i)?.[1]?.trim();
}

/** The last path segment when it looks like a file name (`…/invoice.pdf?sig=…` → invoice.pdf). */
function fileNameFromPath(url: string): string | undefined {
  try {
    const last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    return last.includes('.') ? last : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Turns media given as base64, URL or upload into a media_objects row (seeds 002/003): size
 * limit (413), type allow-list (415), kind, optional preview file. The URL download is HEAD
 * first, then a capped GET through SafeUrlFetcher, all within MEDIA_FETCH_TIMEOUT_MS.
 */
/** Network failures that say the URL leads nowhere (no such host, nothing listening), rather than that its server failed. */
const UNREACHABLE_URL = /ENOTFOUND|EAI_AGAIN|EAI_NONAME|ECONNREFUSED|EHOSTUNREACH|ENETUNREACH/;

@Injectable()
export class MediaIntakeService {
  constructor(
    private readonly config: SendingConfig,
    private readonly media: MediaRepository,
    private readonly fetcher: SafeUrlFetcher,
    private readonly previews: MediaPreviewWriter,
  ) {}

  async accept(request: MediaIntakeRequest): Promise<AcceptedMedia> {
    const received = await this.receive(request.source);
    if (received.bytes.length === 0) throw new AppError('INVALID_PAYLOAD', 'The media is empty');
    if (received.bytes.length > this.config.MEDIA_MAX_BYTES) throw tooLarge(this.config.MEDIA_MAX_BYTES, 'The media');
    const requestedName = sanitizeFileName(request.fileName) ?? sanitizeFileName(received.fileName);
    const mimeType =
      normalizeMimeType(request.mimeType) ??
      reportedMimeType(received.declaredType) ??
      mimeTypeFromFileName(requestedName) ??
      sniffMimeType(received.bytes) ??
      'application/octet-stream';
    if (!isAllowedMimeType(mimeType, this.config.MEDIA_ALLOWED_MIME_TYPES)) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Media of type ${mimeType} is not accepted`, { mimeType, allowed: this.config.MEDIA_ALLOWED_MIME_TYPES });
    }
    const kind = resolveMediaKind(mimeType, request.kind);
    // WhatsApp shows a document's name; give one when the source had none.
    const extension = extensionFor(mimeType);
    const fileName = requestedName ?? (kind === 'document' ? `document${extension ? `.${extension}` : ''}` : undefined);
    const sha256 = createHash('sha256').update(received.bytes).digest('hex');
    const stored = await this.media.create({ sessionId: request.sessionId, sha256, mimeType, fileName: fileName ?? null, bytes: received.bytes });
    const accepted: AcceptedMedia = { mediaId: stored.id, kind, mimeType, size: stored.size, sha256, ...(fileName ? { fileName } : {}) };
    if (request.saveToTemp ?? this.config.MEDIA_SAVE_PREVIEW) {
      const previewPath = await this.previews.write(stored.id, received.bytes, mimeType, fileName);
      if (previewPath) accepted.previewPath = previewPath;
    }
    return accepted;
  }

  private async receive(source: MediaSource): Promise<Received> {
    switch (source.type) {
      case 'base64':
        return this.decodeBase64(source.data);
      case 'upload':
        // multer already enforced the size while parsing; the check in accept() covers other callers.
        return { bytes: source.file.buffer, declaredType: source.file.mimetype, fileName: source.file.originalname };
      case 'url':
        return this.download(source.url);
    }
  }

  /** Checks the decoded size from the text length before decoding anything. */
  private decodeBase64(data: string): Received {
    let payload = data;
    let declaredType: string | undefined;
    if (/^data:/i.test(payload)) {
      const prefix = DATA_URL.exec(payload.slice(0, 512));
      if (!prefix?.[3]) throw new AppError('INVALID_PAYLOAD', 'A data URL must be base64 encoded: data:<type>;base64,<data>');
      declaredType = `${prefix[1]}${prefix[2]}`;
      payload = payload.slice(prefix[0].length);
    }
    const compact = payload.replace(/\s+/g, '');
    const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
    const size = Math.floor((compact.length * 3) / 4) - padding;
    if (size > this.config.MEDIA_MAX_BYTES) throw tooLarge(this.config.MEDIA_MAX_BYTES, 'The media', { bytes: size });
    if (!BASE64.test(compact)) throw new AppError('INVALID_PAYLOAD', 'The media is not valid base64');
    return { bytes: Buffer.from(compact, 'base64'), declaredType };
  }

  private async download(url: string): Promise<Received> {
    const maxBytes = this.config.MEDIA_MAX_BYTES;
    const started = Date.now();
    const budget = () => Math.max(1, this.config.MEDIA_FETCH_TIMEOUT_MS - (Date.now() - started));
    const request = {
      maxBytes,
      maxRedirects: this.config.MEDIA_FETCH_MAX_REDIRECTS,
      headers: { accept: '*/*', 'accept-encoding': 'identity', 'user-agent': 'wa-gateway-media' },
    };
    // HEAD first: a declared oversize body is refused without downloading it (seed 003).
    const head = await this.fetch(url, { ...request, method: 'HEAD', timeoutMs: budget() });
    const declared = Number(head.headers['content-length']);
    if (head.status >= 200 && head.status < 300 && Number.isFinite(declared) && declared > maxBytes) {
      throw tooLarge(maxBytes, 'The media at the URL', { declaredBytes: declared });
    }
    // Servers without HEAD support answer 405 and the like: the GET decides.
    const response = await this.fetch(url, { ...request, method: 'GET', timeoutMs: budget() });
    if (response.status < 200 || response.status >= 300) {
      const code = response.status >= 500 ? 'BAD_GATEWAY' : 'INVALID_PAYLOAD';
      throw new AppError(code, `The media URL answered HTTP ${response.status}`, { status: response.status });
    }
    return {
      bytes: response.body,
      declaredType: response.headers['content-type'],
      fileName: fileNameFromDisposition(response.headers['content-disposition']) ?? fileNameFromPath(response.url),
    };
  }

  private async fetch(url: string, request: Parameters<SafeUrlFetcher['fetch']>[1]): Promise<SafeFetchResponse> {
    try {
      return await this.fetcher.fetch(url, request);
    } catch (error) {
      if (!(error instanceof SafeFetchError)) throw error;
      switch (error.reason) {
        case 'too-large':
          throw tooLarge(request.maxBytes, 'The media at the URL', error.details);
        case 'timeout':
          throw new AppError('BAD_GATEWAY', `The media URL did not answer within ${this.config.MEDIA_FETCH_TIMEOUT_MS} ms`);
        case 'network':
          // A host that does not exist or refuses connections is a URL the client should fix, not an upstream fault.
          if (UNREACHABLE_URL.test(error.message))
            throw new AppError('INVALID_PAYLOAD', `The media URL cannot be reached: ${error.message}`, { reason: 'unreachable', ...error.details });
          throw new AppError('BAD_GATEWAY', `The media URL could not be fetched: ${error.message}`);
        default:
          throw new AppError('INVALID_PAYLOAD', `The media URL cannot be fetched: ${error.message}`, { reason: error.reason, ...error.details });
      }
    }
  }
}
