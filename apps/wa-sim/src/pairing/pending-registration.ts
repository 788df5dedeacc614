import type { proto } from '@whiskeysockets/baileys';
import type { KeyPair } from '../persistence/key-codec';
import type { ClientConnection } from '../server/client-connection';

/** A pairing-code request a companion made on a registration connection. */
interface CodePairingRequest {
  phoneNumber: string;
  ref: string;
  wrappedCompanionEphemeral: Buffer;
  /** Set once the phone has entered the code and answered with its own ephemeral key. */
  phoneEphemeral?: KeyPair;
  companionEphemeral?: Buffer;
}

/** A not-yet-linked companion connected with registration data, waiting for a QR scan or a code. */
export interface PendingRegistration {
  connection: ClientConnection;
  noiseKey: Buffer;
  identityKey: Buffer;
  registrationId: number;
  signedPreKey: { keyId: number; publicKey: Buffer; signature: Buffer };
  platform: string;
  refs: string[];
  codeRequest?: CodePairingRequest;
}

export function pendingFromPairingData(
  connection: ClientConnection,
  noiseKey: Buffer,
  data: proto.ClientPayload.IDevicePairingRegistrationData,
  platform: string,
  refs: string[],
): PendingRegistration {
  const bytes = (value: Uint8Array | null | undefined): Buffer => Buffer.from(value ?? []);
  const uint = (value: Uint8Array | null | undefined): number => {
    const buffer = bytes(value);
    return buffer.length ? buffer.readUIntBE(0, buffer.length) : 0;
  };
  return {
    connection,
    noiseKey,
    identityKey: bytes(data.eIdent),
    registrationId: uint(data.eRegid),
    signedPreKey: { keyId: uint(data.eSkeyId), publicKey: bytes(data.eSkeyVal), signature: bytes(data.eSkeySig) },
    platform,
    refs,
  };
}

export interface ParsedQr {
  ref: string;
  noiseKey: Buffer;
  identityKey: Buffer;
  advSecret: Buffer;
}

const QR_LINK_PREFIX = 'https://wa.me/settings/linked_devices#';

/** Parses what Baileys shows as `qr`: `[link#]ref,noiseKeyB64,identityKeyB64,advSecretB64[,platform]`. */
export function parseQr(qr: string): ParsedQr | undefined {
  const body = qr.startsWith(QR_LINK_PREFIX) ? qr.slice(QR_LINK_PREFIX.length) : qr;
  const [ref, noise, identity, adv] = body.split(',');
  if (!ref || !noise || !identity || !adv) return undefined;
  return {
    ref,
    noiseKey: Buffer.from(noise, 'base64'),
    identityKey: Buffer.from(identity, 'base64'),
    advSecret: Buffer.from(adv, 'base64'),
  };
}
