import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomInt } from 'node:crypto';
import { Curve, generateSignalPubKey, proto } from '@whiskeysockets/baileys';

/**
 * Signal sender keys (the `skmsg` layer of group messages), written from the protocol:
 * a chain key ratchets by HMAC-SHA256 (0x01 → message key seed, 0x02 → next chain key); a seed
 * expands by HKDF(salt = 32 zero bytes, info "WhisperGroup") into IV (16) and AES-256-CBC key (32);
 * messages are `version ‖ SenderKeyMessage ‖ XEdDSA signature(64)` by the sender's signing key.
 * A distribution message (`version ‖ SenderKeyDistributionMessage`) hands the chain to a recipient.
 */
export interface SenderKeyState {
  keyId: number;
  /** Iteration of the next message key `chainKey` yields. */
  iteration: number;
  chainKey: Buffer;
  /** 32 bytes, without the 0x05 type prefix. */
  signingPublic: Buffer;
  /** Only on the sending side. */
  signingPrivate?: Buffer;
}

const VERSION = 0x33;
const SIGNATURE_LENGTH = 64;
const MAX_FORWARD_JUMP = 2000;
const MESSAGE_KEY_SEED = Buffer.from([0x01]);
const CHAIN_KEY_SEED = Buffer.from([0x02]);

export function newSenderKey(): SenderKeyState {
  const signing = Curve.generateKeyPair();
  return {
    keyId: randomInt(2 ** 31 - 1),
    iteration: 0,
    chainKey: randomBytes(32),
    signingPublic: Buffer.from(signing.public),
    signingPrivate: Buffer.from(signing.private),
  };
}

/** Serialises the state's current position for a recipient (the SKDM's `axolotlSenderKeyDistributionMessage`). */
export function distributionMessage(state: SenderKeyState): Buffer {
  const body = proto.SenderKeyDistributionMessage.encode({
    id: state.keyId,
    iteration: state.iteration,
    chainKey: state.chainKey,
    signingKey: generateSignalPubKey(state.signingPublic),
  }).finish();
  return Buffer.concat([Buffer.from([VERSION]), body]);
}

export function parseDistributionMessage(serialized: Uint8Array): SenderKeyState {
  const message = proto.SenderKeyDistributionMessage.decode(serialized.subarray(1));
  if (!message.chainKey?.length || !message.signingKey?.length) throw new Error('incomplete sender key distribution message');
  const signingKey = Buffer.from(message.signingKey);
  return {
    keyId: message.id ?? 0,
    iteration: message.iteration ?? 0,
    chainKey: Buffer.from(message.chainKey),
    signingPublic: signingKey.length === 33 ? signingKey.subarray(1) : signingKey,
  };
}

/** Encrypts with the current message key and advances the chain (mutates `state`). */
export function senderKeyEncrypt(state: SenderKeyState, plaintext: Uint8Array): Buffer {
  if (!state.signingPrivate) throw new Error('sender key without its signing key cannot encrypt');
  const { iv, cipherKey } = messageKeys(state.chainKey);
  const cipher = createCipheriv('aes-256-cbc', cipherKey, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const body = proto.SenderKeyMessage.encode({ id: state.keyId, iteration: state.iteration, ciphertext }).finish();
  const signed = Buffer.concat([Buffer.from([VERSION]), body]);
  advance(state);
  return Buffer.concat([signed, Buffer.from(Curve.sign(state.signingPrivate, signed))]);
}

/** Verifies and decrypts a message at or after the state's position, then moves past it (mutates `state`). */
export function senderKeyDecrypt(state: SenderKeyState, serialized: Uint8Array): Buffer {
  const bytes = Buffer.from(serialized);
  const signed = bytes.subarray(0, bytes.length - SIGNATURE_LENGTH);
  const message = proto.SenderKeyMessage.decode(signed.subarray(1));
  if ((message.id ?? 0) !== state.keyId) throw new Error(`unknown sender key id ${message.id}`);
  if (!Curve.verify(state.signingPublic, signed, bytes.subarray(-SIGNATURE_LENGTH))) throw new Error('bad sender key signature');
  const iteration = message.iteration ?? 0;
  if (iteration < state.iteration) throw new Error(`sender key iteration ${iteration} already used`);
  if (iteration - state.iteration > MAX_FORWARD_JUMP) throw new Error('sender key iteration too far ahead');
  while (state.iteration < iteration) advance(state);
  const { iv, cipherKey } = messageKeys(state.chainKey);
  advance(state);
  const decipher = createDecipheriv('aes-256-cbc', cipherKey, iv);
  return Buffer.concat([decipher.update(message.ciphertext ?? new Uint8Array()), decipher.final()]);
}

function advance(state: SenderKeyState): void {
  state.chainKey = createHmac('sha256', state.chainKey).update(CHAIN_KEY_SEED).digest();
  state.iteration += 1;
}

function messageKeys(chainKey: Buffer): { iv: Buffer; cipherKey: Buffer } {
  const seed = createHmac('sha256', chainKey).update(MESSAGE_KEY_SEED).digest();
  const derived = Buffer.from(hkdfSync('sha256', seed, Buffer.alloc(32), 'WhisperGroup', 48));
  return { iv: derived.subarray(0, 16), cipherKey: derived.subarray(16) };
}
