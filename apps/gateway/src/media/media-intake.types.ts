import { AppError, type MediaContent, type MediaKind } from '@app/contracts';

/** A file parsed from a multipart `file` field by MediaUploadInterceptor (multer's memory storage). */
export interface UploadedMediaFile {
  buffer: Buffer;
  mimetype: string;
  originalname: string;
  size: number;
}

export type MediaSource = { type: 'base64'; data: string } | { type: 'url'; url: string } | { type: 'upload'; file: UploadedMediaFile };

export interface MediaIntakeRequest {
  /** The session the media will be sent from (media_objects rows belong to a session). */
  sessionId: string;
  source: MediaSource;
  /** image | video | audio | document; derived from the mime type when absent. */
  kind?: MediaKind;
  /** Overrides what the source says (data URL, upload part, URL content-type, file name). */
  mimeType?: string;
  fileName?: string;
  /** Seed 003 `save_to_temp`: write a preview file to TEMP_DIR (default MEDIA_SAVE_PREVIEW). */
  saveToTemp?: boolean;
}

/** Media stored in media_objects and ready to be referenced by an outbound message. */
export interface AcceptedMedia {
  mediaId: string;
  kind: MediaKind;
  mimeType: string;
  fileName?: string;
  size: number;
  sha256: string;
  /** Absolute path of the preview file, when one was written. */
  previewPath?: string;
}

/**
 * The source of a send request that may carry media in any of the three ways (seed 003 `data`,
 * seed 002 `base64`, `url`, multipart `file`): exactly one must be present.
 */
export function pickMediaSource(fields: { data?: string; base64?: string; url?: string; file?: UploadedMediaFile }): MediaSource {
  const given = Object.entries(fields)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([name]) => name);
  if (given.length !== 1) {
    const problem = given.length === 0 ? 'none was given' : `got ${given.join(' and ')}`;
    throw new AppError('INVALID_PAYLOAD', `Give the media in exactly one of data/base64, url or a multipart file: ${problem}`, { given });
  }
  if (fields.file) return { type: 'upload', file: fields.file };
  if (fields.url) return { type: 'url', url: fields.url };
  return { type: 'base64', data: (fields.data ?? fields.base64)! };
}

/** What an outbound message stores for accepted media (outbound_messages.content). */
export function mediaContentOf(media: AcceptedMedia, extras: { caption?: string; quotedMessageId?: string; mentions?: string[] } = {}): MediaContent {
  return {
    kind: media.kind,
    mediaId: media.mediaId,
    mimeType: media.mimeType,
    ...(media.fileName ? { fileName: media.fileName } : {}),
    ...(extras.caption ? { caption: extras.caption } : {}),
    ...(extras.quotedMessageId ? { quotedMessageId: extras.quotedMessageId } : {}),
    ...(extras.mentions?.length ? { mentions: extras.mentions } : {}),
  };
}

/**
 * The JSON body limit send routes need: the largest media as base64 (4 characters per 3 bytes)
 * plus room for the other fields. Express' default of 100 kB would refuse most base64 media.
 */
export const mediaJsonBodyLimit = (maxMediaBytes: number): number => Math.ceil(maxMediaBytes / 3) * 4 + 64 * 1024;
