import { get } from 'node:https';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { SimError } from '../common/sim-error';
import type { MediaReference } from '../messaging/message-content';
import { MessageLog, type SentMessageRecord } from '../messaging/message-log.service';
import { decryptMedia, isMediaKind, MediaVerificationError, sha256, type MediaKind } from './media.crypto';
import { MediaHostServer } from './media-host.server';
import { MediaIdentityService } from './media-identity.service';

export interface SentMediaBytes {
  bytes: Buffer;
  mimetype?: string;
  fileName?: string;
}

const DOWNLOAD_TIMEOUT_MS = 15_000;
const fromBase64 = (text: string | undefined): Buffer | undefined => (text ? Buffer.from(text, 'base64') : undefined);

/**
 * The recipient phone's side of a media message a companion sent: once the core has decrypted
 * the Signal envelope and logged it, download the blob from the simulator's own media host
 * (HTTPS, trusting its CA), check fileEncSha256, the HMAC and fileSha256, and record the
 * verdict on the log entry (`media.status`, `media.error`, sha256 + length of the plaintext).
 * Plaintext is not kept: the bytes route downloads and verifies again.
 */
@Injectable()
export class SentMediaService implements OnModuleInit {
  private readonly logger = new Logger('SentMedia');
  /** Checks in flight, so the bytes route can wait for the verdict. */
  private readonly checks = new WeakMap<SentMessageRecord, Promise<void>>();

  constructor(
    private readonly log: MessageLog,
    private readonly host: MediaHostServer,
    private readonly identity: MediaIdentityService,
  ) {}

  onModuleInit(): void {
    this.log.onSentRecorded((record) => this.check(record));
  }

  /** The decrypted bytes of the latest sent message with that id. */
  async bytesOf(messageId: string): Promise<SentMediaBytes> {
    const record = this.log.findSent(messageId);
    if (!record) throw SimError.notFound('MESSAGE_NOT_FOUND', `no sent message ${messageId}`);
    const { media, kind } = record;
    if (!media || !isMediaKind(kind)) throw SimError.notFound('NO_MEDIA', `message ${messageId} carries no media`);
    await this.checks.get(record);
    if (media.status !== 'ready') throw SimError.conflict('MEDIA_UNAVAILABLE', media.error ?? `media of ${messageId} was not verified`);
    return { bytes: await this.fetchAndDecrypt(kind, media), mimetype: media.mimetype, fileName: media.fileName };
  }

  private check(record: SentMessageRecord): void {
    const { media, kind } = record;
    if (!media || !isMediaKind(kind)) return;
    media.status = 'pending';
    const done = this.fetchAndDecrypt(kind, media).then(
      (bytes) => {
        Object.assign(media, { status: 'ready', decryptedSha256: sha256(bytes).toString('hex'), decryptedLength: bytes.length });
      },
      (error: Error) => {
        media.status = 'failed';
        media.error = error instanceof MediaVerificationError ? error.message : `DOWNLOAD_FAILED: ${error.message}`;
        this.logger.warn(`media of ${record.messageId} from ${record.fromPhoneNumber} rejected: ${media.error}`);
      },
    );
    this.checks.set(record, done);
  }

  private async fetchAndDecrypt(kind: MediaKind, media: MediaReference): Promise<Buffer> {
    const mediaKey = fromBase64(media.mediaKey);
    if (!mediaKey) throw new MediaVerificationError('NO_MEDIA_KEY', 'the message carries no mediaKey');
    const location = media.directPath ?? media.url;
    if (!location) throw new MediaVerificationError('NO_MEDIA_PATH', 'the message carries neither directPath nor url');
    const blob = await this.download(location);
    return decryptMedia(blob, {
      kind,
      mediaKey,
      fileEncSha256: fromBase64(media.fileEncSha256),
      fileSha256: fromBase64(media.fileSha256),
      fileLength: media.fileLength,
    });
  }

  /** A phone only knows the simulated CDN: whatever host a URL names, the path is looked up there. */
  private download(location: string): Promise<Buffer> {
    const parsed = new URL(location, this.host.internalBaseUrl);
    const url = new URL(parsed.pathname + parsed.search, this.host.internalBaseUrl);
    return new Promise((resolve, reject) => {
      const request = get(url, { ca: this.identity.caCertificatePem, timeout: DOWNLOAD_TIMEOUT_MS }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          if (response.statusCode === 200) return resolve(Buffer.concat(chunks));
          reject(
            response.statusCode === 404
              ? new MediaVerificationError('MEDIA_NOT_FOUND', `${url.pathname} is not on the media host`)
              : new Error(`media host answered ${response.statusCode}`),
          );
        });
      });
      request.on('timeout', () => request.destroy(new Error(`no answer within ${DOWNLOAD_TIMEOUT_MS} ms`)));
      request.on('error', reject);
    });
  }
}
