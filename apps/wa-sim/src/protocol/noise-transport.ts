import { createCipheriv, createDecipheriv } from 'node:crypto';

const TAG_LENGTH = 16;

/** AES-256-GCM with a 96-bit IV of 8 zero bytes followed by a big-endian 32-bit counter. */
function counterIv(counter: number): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeUInt32BE(counter, 8);
  return iv;
}

export function gcmEncrypt(key: Uint8Array, counter: number, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, counterIv(counter));
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

export function gcmDecrypt(key: Uint8Array, counter: number, ciphertext: Uint8Array, aad: Uint8Array): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, counterIv(counter));
  decipher.setAAD(aad);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_LENGTH));
  return Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - TAG_LENGTH)), decipher.final()]);
}

const EMPTY = Buffer.alloc(0);

/** Post-handshake cipher state: one key and one counter per direction, empty AAD. */
export class NoiseTransport {
  private readCounter = 0;
  private writeCounter = 0;

  constructor(
    private readonly encryptKey: Buffer,
    private readonly decryptKey: Buffer,
  ) {}

  encrypt(plaintext: Uint8Array): Buffer {
    return gcmEncrypt(this.encryptKey, this.writeCounter++, plaintext, EMPTY);
  }

  decrypt(ciphertext: Uint8Array): Buffer {
    return gcmDecrypt(this.decryptKey, this.readCounter++, ciphertext, EMPTY);
  }
}
