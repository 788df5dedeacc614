/**
 * The few ASN.1 DER shapes an X.509 certificate needs. Hand-written so the simulator can mint
 * its media CA with node's crypto alone (no openssl CLI, no certificate library at run time).
 */

const UNIVERSAL = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  oid: 0x06,
  utf8String: 0x0c,
  sequence: 0x30,
  set: 0x31,
  utcTime: 0x17,
  generalizedTime: 0x18,
} as const;

function length(size: number): Buffer {
  if (size < 0x80) return Buffer.from([size]);
  const bytes: number[] = [];
  for (let rest = size; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV: tag, DER length, then the concatenated contents. */
const tlv = (tag: number, ...contents: Buffer[]): Buffer => {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};

export const sequence = (...items: Buffer[]): Buffer => tlv(UNIVERSAL.sequence, ...items);
export const set = (...items: Buffer[]): Buffer => tlv(UNIVERSAL.set, ...items);
export const octetString = (bytes: Buffer): Buffer => tlv(UNIVERSAL.octetString, bytes);
export const utf8String = (text: string): Buffer => tlv(UNIVERSAL.utf8String, Buffer.from(text, 'utf8'));
export const boolean = (value: boolean): Buffer => tlv(UNIVERSAL.boolean, Buffer.from([value ? 0xff : 0x00]));

/** Non-negative integer from big-endian bytes: leading zeros stripped, a 0x00 added if the top bit is set. */
export function unsignedInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return tlv(UNIVERSAL.integer, trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export const smallInteger = (value: number): Buffer => unsignedInteger(Buffer.from([value]));

/** BIT STRING with no unused bits (keys, signatures, key-usage flags built by the caller). */
export const bitString = (bytes: Buffer, unusedBits = 0): Buffer => tlv(UNIVERSAL.bitString, Buffer.from([unusedBits]), bytes);

export function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) chunk.unshift((value & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(UNIVERSAL.oid, Buffer.from(bytes));
}

/** X.509 validity time: UTCTime before 2050, GeneralizedTime from then on (RFC 5280 §4.1.2.5). */
export function time(date: Date): Buffer {
  const text = date
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return date.getUTCFullYear() < 2050
    ? tlv(UNIVERSAL.utcTime, Buffer.from(text.slice(2), 'ascii'))
    : tlv(UNIVERSAL.generalizedTime, Buffer.from(text, 'ascii'));
}

/** `[n] EXPLICIT` wrapper (constructed, context-specific). */
export const explicit = (tagNumber: number, inner: Buffer): Buffer => tlv(0xa0 | tagNumber, inner);

/** `[n] IMPLICIT` primitive (context-specific): SAN dNSName [2] / iPAddress [7], AKI keyIdentifier [0]. */
export const implicitPrimitive = (tagNumber: number, bytes: Buffer): Buffer => tlv(0x80 | tagNumber, bytes);
