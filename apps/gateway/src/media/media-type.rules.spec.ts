import { AppError } from '@app/contracts';
import {
  isAllowedMimeType,
  mimeTypeFromFileName,
  normalizeMimeType,
  reportedMimeType,
  resolveMediaKind,
  sanitizeFileName,
  sniffMimeType,
} from './media-type.rules';

const bytes = (hex: string, text = '') => Buffer.concat([Buffer.from(hex, 'hex'), Buffer.from(text, 'latin1'), Buffer.alloc(16)]);

describe('media type rules', () => {
  it.each([
    [bytes('ffd8ffe0'), 'image/jpeg'],
    [bytes('89504e470d0a1a0a'), 'image/png'],
    [bytes('', 'GIF89a'), 'image/gif'],
    [bytes('', 'RIFF\x00\x00\x00\x00WEBPVP8 '), 'image/webp'],
    [bytes('', '%PDF-1.4'), 'application/pdf'],
    [bytes('', 'OggS'), 'audio/ogg'],
    [bytes('', 'ID3'), 'audio/mpeg'],
    [bytes('', '#!AMR\n'), 'audio/amr'],
    [bytes('00000018', 'ftypmp42'), 'video/mp4'],
    [bytes('00000014', 'ftyp3gp4'), 'video/3gpp'],
    [bytes('00000020', 'ftypM4A '), 'audio/mp4'],
    [bytes('', 'PK\x03\x04'), 'application/zip'],
    [bytes('', 'hello world'), undefined],
  ])('sniffs %#: %s', (data, type) => {
    expect(sniffMimeType(data)).toBe(type);
  });

  it('normalises declared types, dropping "no idea" types and refusing malformed ones', () => {
    expect(normalizeMimeType(' Audio/OGG ; codecs=opus ')).toBe('audio/ogg; codecs=opus');
    expect(normalizeMimeType('application/octet-stream')).toBeUndefined();
    expect(normalizeMimeType('')).toBeUndefined();
    expect(() => normalizeMimeType('jpeg')).toThrow(AppError);
    expect(reportedMimeType('jpeg')).toBeUndefined();
  });

  it('checks the allow-list on the type without parameters, with type/* wildcards', () => {
    expect(isAllowedMimeType('audio/ogg; codecs=opus', ['audio/ogg'])).toBe(true);
    expect(isAllowedMimeType('image/heic', ['image/*'])).toBe(true);
    expect(isAllowedMimeType('image/heic', ['image/png', 'video/*'])).toBe(false);
  });

  it('derives the kind and refuses a kind the type cannot be sent as', () => {
    expect(resolveMediaKind('video/mp4', undefined)).toBe('video');
    expect(resolveMediaKind('application/pdf', undefined)).toBe('document');
    expect(resolveMediaKind('image/png', 'document')).toBe('document');
    expect(() => resolveMediaKind('audio/mpeg', 'video')).toThrow('Media of type audio/mpeg cannot be sent as video; send it as audio or document');
  });

  it('guesses a type from a file name and keeps names safe', () => {
    expect(mimeTypeFromFileName('Laporan.XLSX')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(mimeTypeFromFileName('noextension')).toBeUndefined();
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\a\\"bad"\u0007.pdf')).toBe('bad.pdf');
    expect(sanitizeFileName('..')).toBeUndefined();
    expect(sanitizeFileName(`${'x'.repeat(300)}.pdf`)).toHaveLength(200);
  });
});
