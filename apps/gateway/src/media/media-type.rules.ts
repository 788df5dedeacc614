import { AppError, type MediaKind } from '@app/contracts';

const MIME = /^([a-z0-9.+-]+)\/([a-z0-9.+-]+)$/;
const GENERIC = new Set(['application/octet-stream', 'binary/octet-stream']);

/** Extensions of the types a gateway usually sees: to guess a type from a file name and back. */
const BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  mp4: 'video/mp4',
  '3gp': 'video/3gpp',
  mov: 'video/quicktime',
  avi: 'video/x-msvideo',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  amr: 'audio/amr',
  pdf: 'application/pdf',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  txt: 'text/plain',
  csv: 'text/csv',
  zip: 'application/zip',
};
const EXTENSION_OF: Record<string, string> = Object.fromEntries(
  Object.entries(BY_EXTENSION)
    .reverse()
    .map(([extension, type]) => [type, extension]),
);

/**
 * A declared type, lower-cased, parameters kept (voice notes need `audio/ogg; codecs=opus`);
 * undefined for blanks and for "no idea" types such as application/octet-stream.
 */
export function normalizeMimeType(declared: string | undefined | null): string | undefined {
  if (!declared?.trim()) return undefined;
  const [essence = '', ...parameters] = declared.split(';').map((part) => part.trim());
  const lower = essence.toLowerCase();
  if (!MIME.test(lower))
    throw new AppError('INVALID_PAYLOAD', `"${declared.slice(0, 100)}" is not a mime type (type/subtype)`, { mimeType: declared.slice(0, 100) });
  if (GENERIC.has(lower)) return undefined;
  return [lower, ...parameters.filter(Boolean)].join('; ');
}

/** A type a source reported (upload part, URL content-type): a malformed one is as good as none. */
export function reportedMimeType(reported: string | undefined): string | undefined {
  try {
    return normalizeMimeType(reported);
  } catch {
    return undefined;
  }
}

const essenceOf = (mimeType: string): string => mimeType.split(';')[0].trim();

export function mimeTypeFromFileName(fileName: string | undefined): string | undefined {
  const extension = fileName?.match(/\.([a-z0-9]{1,8})$/i)?.[1]?.toLowerCase();
  return extension ? BY_EXTENSION[extension] : undefined;
}

export const extensionFor = (mimeType: string): string | undefined => EXTENSION_OF[essenceOf(mimeType)];

/** The type of common media from their first bytes, for sources that do not say (bare base64). */
export function sniffMimeType(bytes: Buffer): string | undefined {
  const ascii = (start: number, end: number) => bytes.toString('latin1', start, end);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'image/png';
  if (ascii(0, 4) === 'GIF8') return 'image/gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'AVI ') return 'video/x-msvideo';
  if (ascii(0, 5) === '%PDF-') return 'application/pdf';
  if (ascii(0, 4) === 'OggS') return 'audio/ogg';
  if (ascii(0, 6) === '#!AMR\n') return 'audio/amr';
  if (ascii(0, 3) === 'ID3' || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0)) return 'audio/mpeg';
  if (ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12);
    if (brand.startsWith('3g')) return 'video/3gpp';
    if (brand === 'qt  ') return 'video/quicktime';
    if (brand === 'M4A ') return 'audio/mp4';
    return 'video/mp4';
  }
  if (ascii(0, 4) === 'PK\x03\x04') return 'application/zip';
  return undefined;
}

/** Whether the allow-list (exact types or `type/*`) admits the type. */
export function isAllowedMimeType(mimeType: string, allowed: readonly string[]): boolean {
  const essence = essenceOf(mimeType);
  const wildcard = `${essence.split('/')[0]}/*`;
  return allowed.some((entry) => {
    const lower = entry.toLowerCase();
    return lower === essence || lower === wildcard;
  });
}

/**
 * The WhatsApp message kind: derived from the type when not asked for; a document may carry any
 * type, the other kinds only their own (a PDF sent as `image` would reach the contact broken).
 */
export function resolveMediaKind(mimeType: string, requested: MediaKind | undefined): MediaKind {
  const top = essenceOf(mimeType).split('/')[0];
  const natural: MediaKind = top === 'image' || top === 'video' || top === 'audio' ? top : 'document';
  if (!requested || requested === 'document' || requested === natural) return requested ?? natural;
  throw new AppError('INVALID_PAYLOAD', `Media of type ${essenceOf(mimeType)} cannot be sent as ${requested}; send it as ${natural} or document`, {
    mimeType: essenceOf(mimeType),
    mediaType: requested,
  });
}

/** A file name safe to show and to use in a path: no directories, no control characters. */
export function sanitizeFileName(name: string | undefined): string | undefined {
  const base = name
    ?.split(/[\\/]/)
    .pop()
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    ?.replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim();
  if (!base || base === '.' || base === '..') return undefined;
  return base.length > 200 ? base.slice(base.length - 200) : base;
}
