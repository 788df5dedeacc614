import { Curve } from '@whiskeysockets/baileys';

/** Curve25519 key pair as Baileys' `Curve` produces it: 32-byte public key without the 0x05 prefix. */
export interface KeyPair {
  public: Buffer;
  private: Buffer;
}

export interface StoredKeyPair {
  public: string;
  private: string;
}

export const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
export const fromBase64 = (text: string): Buffer => Buffer.from(text, 'base64');

export const storeKeyPair = (pair: KeyPair): StoredKeyPair => ({
  public: toBase64(pair.public),
  private: toBase64(pair.private),
});

export const loadKeyPair = (stored: StoredKeyPair): KeyPair => ({
  public: fromBase64(stored.public),
  private: fromBase64(stored.private),
});

/** A fresh Curve25519 pair as Buffers (Baileys' `Curve` types them as plain Uint8Arrays). */
export function newKeyPair(): KeyPair {
  const pair = Curve.generateKeyPair();
  return { public: Buffer.from(pair.public), private: Buffer.from(pair.private) };
}
