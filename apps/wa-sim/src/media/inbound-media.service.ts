import { Injectable } from '@nestjs/common';
import type { proto } from '@whiskeysockets/baileys';
import { encryptMedia, type MediaKind } from './media.crypto';
import { MediaBlobStore } from './media-blob.store';
import { MediaHostServer } from './media-host.server';

/** Media a simulated phone sends to an account (`POST /messages/inbound` with `media`). */
export interface InboundMedia {
  kind: MediaKind;
  /** Plaintext bytes, base64. */
  data: string;
  mimetype?: string;
  caption?: string;
  fileName?: string;
  ptt?: boolean;
  seconds?: number;
}

/** What Baileys itself sends when none is given. */
const DEFAULT_MIMETYPES: Record<MediaKind, string> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/ogg; codecs=opus',
  document: 'application/pdf',
  sticker: 'image/webp',
};

/**
 * Builds the media message a phone sends: encrypts the bytes as a WhatsApp client does, stores
 * the blob on the media host and fills url/directPath/keys/hashes, so a companion's
 * `downloadMediaMessage` fetches and decrypts it. Delivery itself is the core's.
 */
@Injectable()
export class InboundMediaService {
  constructor(
    private readonly blobs: MediaBlobStore,
    private readonly host: MediaHostServer,
  ) {}

  async message(media: InboundMedia): Promise<proto.IMessage> {
    const encrypted = encryptMedia(Buffer.from(media.data, 'base64'), media.kind);
    const directPath = await this.blobs.put(encrypted.blob);
    const common = {
      url: `${this.host.baseUrl}${directPath}`,
      directPath,
      mediaKey: encrypted.mediaKey,
      mimetype: media.mimetype ?? DEFAULT_MIMETYPES[media.kind],
      fileSha256: encrypted.fileSha256,
      fileEncSha256: encrypted.fileEncSha256,
      fileLength: encrypted.fileLength,
      mediaKeyTimestamp: Math.floor(Date.now() / 1000),
    };
    switch (media.kind) {
      case 'image':
        return { imageMessage: { ...common, caption: media.caption } };
      case 'video':
        return { videoMessage: { ...common, caption: media.caption, seconds: media.seconds } };
      case 'audio':
        return { audioMessage: { ...common, ptt: media.ptt ?? false, seconds: media.seconds } };
      case 'document':
        return { documentMessage: { ...common, caption: media.caption, fileName: media.fileName, title: media.fileName } };
      case 'sticker':
        return { stickerMessage: common };
    }
  }
}
