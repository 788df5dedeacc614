import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export const MEDIA_KINDS = ['image', 'video', 'audio', 'document', 'sticker'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** WhatsApp's HKDF info per media type ("WhatsApp <X> Keys"); ptt audio uses Audio, stickers Image. */
const HKDF_INFO: Record<MediaKind, string> = {
  image: 'Image',
  video: 'Video',
  audio: 'Audio',
  document: 'Document',
  sticker: 'Image',
};

const MAC_LENGTH = 10;

interface MediaKeys {
  iv: Buffer;
  cipherKey: Buffer;
  macKey: Buffer;
}

/** The encrypted blob (AES-CBC ciphertext ‖ 10-byte HMAC) and the fields a media message carries. */
export interface EncryptedMedia {
  mediaKey: Buffer;
  blob: Buffer;
  fileSha256: Buffer;
  fileEncSha256: Buffer;
  fileLength: number;
}

export interface ExpectedMedia {
  kind: MediaKind;
  mediaKey: Buffer;
  fileEncSha256?: Buffer;
  fileSha256?: Buffer;
  fileLength?: number;
}

/** Why a blob was rejected; `code` goes into the message log as `media.error`. */
export class MediaVerificationError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export const isMediaKind = (kind: string): kind is MediaKind => (MEDIA_KINDS as readonly string[]).includes(kind);

export const sha256 = (bytes: Buffer): Buffer => createHash('sha256').update(bytes).digest();

/** 112 bytes of HKDF-SHA256 (empty salt) over the 32-byte media key: iv, cipher key, mac key, (ref key). */
function mediaKeys(mediaKey: Buffer, kind: MediaKind): MediaKeys {
  const expanded = Buffer.from(hkdfSync('sha256', mediaKey, Buffer.alloc(0), `WhatsApp ${HKDF_INFO[kind]} Keys`, 112));
  return { iv: expanded.subarray(0, 16), cipherKey: expanded.subarray(16, 48), macKey: expanded.subarray(48, 80) };
}

/** Encrypts as a WhatsApp client does before uploading, with a fresh media key. */
export function encryptMedia(plaintext: Buffer, kind: MediaKind): EncryptedMedia {
  const mediaKey = randomBytes(32);
  const { iv, cipherKey, macKey } = mediaKeys(mediaKey, kind);
  const cipher = createCipheriv('aes-256-cbc', cipherKey, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const mac = createHmac('sha256', macKey).update(iv).update(ciphertext).digest().subarray(0, MAC_LENGTH);
  const blob = Buffer.concat([ciphertext, mac]);
  return { mediaKey, blob, fileSha256: sha256(plaintext), fileEncSha256: sha256(blob), fileLength: plaintext.length };
}

/** Verifies and decrypts a downloaded blob the way the receiving phone must; throws MediaVerificationError. */
export function decryptMedia(blob: Buffer, expected: ExpectedMedia): Buffer {
  if (expected.fileEncSha256 && !sha256(blob).equals(expected.fileEncSha256)) {
    throw new MediaVerificationError('FILE_ENC_SHA256_MISMATCH', 'the blob does not hash to fileEncSha256');
  }
  if (blob.length < MAC_LENGTH + 16 || (blob.length - MAC_LENGTH) % 16 !== 0) {
    throw new MediaVerificationError('BAD_BLOB_LENGTH', `${blob.length} bytes is not AES blocks plus a 10-byte MAC`);
  }
  const { iv, cipherKey, macKey } = mediaKeys(expected.mediaKey, expected.kind);
  const ciphertext = blob.subarray(0, blob.length - MAC_LENGTH);
  const mac = createHmac('sha256', macKey).update(iv).update(ciphertext).digest().subarray(0, MAC_LENGTH);
  if (!timingSafeEqual(mac, blob.subarray(blob.length - MAC_LENGTH))) {
    throw new MediaVerificationError('MAC_MISMATCH', 'the HMAC does not match the media key');
  }
  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', cipherKey, iv);
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch (error) {
    throw new MediaVerificationError('DECRYPT_FAILED', (error as Error).message);
  }
  if (expected.fileSha256 && !sha256(plaintext).equals(expected.fileSha256)) {
    throw new MediaVerificationError('FILE_SHA256_MISMATCH', 'the plaintext does not hash to fileSha256');
  }
  if (expected.fileLength !== undefined && plaintext.length !== expected.fileLength) {
    throw new MediaVerificationError('FILE_LENGTH_MISMATCH', `fileLength ${expected.fileLength}, decrypted ${plaintext.length}`);
  }
  return plaintext;
}
