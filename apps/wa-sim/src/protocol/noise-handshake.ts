import { createHash, hkdfSync } from 'node:crypto';
import { Curve, proto } from '@whiskeysockets/baileys';
import type { KeyPair } from '../persistence/key-codec';
import { NOISE_PROLOGUE } from './frame-codec';
import { gcmDecrypt, gcmEncrypt, NoiseTransport } from './noise-transport';

const NOISE_MODE = Buffer.from('Noise_XX_25519_AESGCM_SHA256\0\0\0\0', 'utf8');

class HandshakeError extends Error {}

export interface CompletedHandshake {
  clientStaticKey: Buffer;
  payload: proto.ClientPayload;
  transport: NoiseTransport;
}

/** Responder side of WhatsApp's Noise XX handshake (see shared/WA-SIM.md §1). */
export class NoiseHandshake {
  private hash: Buffer = NOISE_MODE;
  private chainingKey: Buffer = NOISE_MODE;
  private key: Buffer = NOISE_MODE;
  private counter = 0;
  private readonly ephemeral = Curve.generateKeyPair();
  private clientEphemeral?: Buffer;

  constructor(
    private readonly serverStatic: KeyPair,
    private readonly certificateChain: Uint8Array,
  ) {
    this.mixHash(NOISE_PROLOGUE);
  }

  /** Step 1 → 2: takes the clientHello frame, returns the serverHello frame. */
  respondToHello(frame: Uint8Array): Buffer {
    const hello = proto.HandshakeMessage.decode(frame).clientHello;
    if (!hello?.ephemeral || hello.ephemeral.length !== 32) throw new HandshakeError('clientHello without ephemeral key');
    this.clientEphemeral = Buffer.from(hello.ephemeral);
    this.mixHash(this.clientEphemeral);
    this.mixHash(this.ephemeral.public);
    this.mixKey(Curve.sharedKey(this.ephemeral.private, this.clientEphemeral));
    const encryptedStatic = this.encryptAndHash(this.serverStatic.public);
    this.mixKey(Curve.sharedKey(this.serverStatic.private, this.clientEphemeral));
    const encryptedCertificate = this.encryptAndHash(this.certificateChain);
    return Buffer.from(
      proto.HandshakeMessage.encode({
        serverHello: { ephemeral: this.ephemeral.public, static: encryptedStatic, payload: encryptedCertificate },
      }).finish(),
    );
  }

  /** Step 3: takes the clientFinish frame; yields the client's static key, its payload and the transport. */
  finish(frame: Uint8Array): CompletedHandshake {
    if (!this.clientEphemeral) throw new HandshakeError('clientFinish before clientHello');
    const finish = proto.HandshakeMessage.decode(frame).clientFinish;
    if (!finish?.static || !finish.payload) throw new HandshakeError('clientFinish without static key or payload');
    const clientStaticKey = this.decryptAndHash(finish.static);
    this.mixKey(Curve.sharedKey(this.ephemeral.private, clientStaticKey));
    const payload = proto.ClientPayload.decode(this.decryptAndHash(finish.payload));
    const [clientWrites, serverWrites] = this.split(Buffer.alloc(0));
    return { clientStaticKey, payload, transport: new NoiseTransport(serverWrites, clientWrites) };
  }

  private mixHash(data: Uint8Array): void {
    this.hash = createHash('sha256').update(this.hash).update(data).digest();
  }

  private mixKey(inputKeyMaterial: Uint8Array): void {
    [this.chainingKey, this.key] = this.split(inputKeyMaterial);
    this.counter = 0;
  }

  private split(inputKeyMaterial: Uint8Array): [Buffer, Buffer] {
    const output = Buffer.from(hkdfSync('sha256', inputKeyMaterial, this.chainingKey, Buffer.alloc(0), 64));
    return [output.subarray(0, 32), output.subarray(32)];
  }

  private encryptAndHash(plaintext: Uint8Array): Buffer {
    const ciphertext = gcmEncrypt(this.key, this.counter++, plaintext, this.hash);
    this.mixHash(ciphertext);
    return ciphertext;
  }

  private decryptAndHash(ciphertext: Uint8Array): Buffer {
    const plaintext = gcmDecrypt(this.key, this.counter++, ciphertext, this.hash);
    this.mixHash(ciphertext);
    return plaintext;
  }
}
