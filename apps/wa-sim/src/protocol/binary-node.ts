import { getBinaryNodeChild, getBinaryNodeChildren, type BinaryNode } from '@whiskeysockets/baileys';

export type { BinaryNode };

/** The server's own JID as WhatsApp writes it in `from` attributes. */
export const SERVER_JID = '@s.whatsapp.net';

export const unixNow = (): string => Math.floor(Date.now() / 1000).toString();

export const node = (tag: string, attrs: Record<string, string> = {}, content?: BinaryNode['content']): BinaryNode =>
  content === undefined ? { tag, attrs } : { tag, attrs, content };

export const childNodes = (parent: BinaryNode | undefined): BinaryNode[] => (Array.isArray(parent?.content) ? parent.content : []);

export const child = (parent: BinaryNode | undefined, tag: string): BinaryNode | undefined => getBinaryNodeChild(parent, tag);

export const children = (parent: BinaryNode | undefined, tag: string): BinaryNode[] => getBinaryNodeChildren(parent, tag);

export function bytesOf(parent: BinaryNode | undefined): Buffer | undefined {
  const content = parent?.content;
  if (content instanceof Uint8Array) return Buffer.from(content);
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  return undefined;
}

export const childBytes = (parent: BinaryNode | undefined, tag: string): Buffer | undefined => bytesOf(child(parent, tag));

/** Big-endian unsigned integer from the bytes of a child node (registration ids, key ids). */
export function childUInt(parent: BinaryNode | undefined, tag: string): number | undefined {
  const bytes = childBytes(parent, tag);
  return bytes && bytes.length > 0 && bytes.length <= 6 ? bytes.readUIntBE(0, bytes.length) : undefined;
}

export function uintBytes(value: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  bytes.writeUIntBE(value, 0, length);
  return bytes;
}
