import type { KeyPair } from '../persistence/key-codec';

export type PhoneRole = 'account' | 'contact';

/** How a simulated phone answers messages it receives from companions. */
export type ReceiptMode = 'read' | 'delivered' | 'none';

interface SignedPreKey {
  keyId: number;
  keyPair: KeyPair;
  signature: Buffer;
}

/** Public half of a companion's signed prekey, as uploaded. */
interface PublicSignedPreKey {
  keyId: number;
  publicKey: Buffer;
  signature: Buffer;
}

/** A message waiting for an offline companion; encrypted only when it is delivered. */
export interface PendingDelivery {
  messageId: string;
  fromPhoneNumber: string;
  /** proto.Message bytes. */
  message: Buffer;
  category?: string;
  /** Extra stanza attributes (e.g. group `from` + `participant`), added by other modules. */
  extraAttrs?: Record<string, string>;
  timestamp: number;
}

/**
 * A companion (linked device, e.g. a Baileys socket) of a phone. Its Noise static key is what
 * authenticates later logins; its Signal keys let the phone open sessions to it.
 */
export interface CompanionDevice {
  phoneNumber: string;
  deviceId: number;
  keyIndex: number;
  noiseKey: Buffer;
  identityKey: Buffer;
  registrationId: number;
  signedPreKey: PublicSignedPreKey;
  /** One-time prekeys by id (public halves); the simulator keeps at most a bounded number. */
  preKeys: Map<number, Buffer>;
  platform: string;
  linkedAt: string;
  /** Set once the phone has sent the initial history-sync notification to this device. */
  initialSyncSent: boolean;
  pending: PendingDelivery[];
}

/**
 * A simulated phone: the primary device of a WhatsApp account. Its account key doubles as its
 * Signal identity. "Accounts" are phones the suite links companions to; "contacts" are phones
 * that only exchange messages with them; both are the same model.
 */
export interface Phone {
  phoneNumber: string;
  lid: string;
  name: string;
  role: PhoneRole;
  identity: KeyPair;
  registrationId: number;
  signedPreKey: SignedPreKey;
  receiptMode: ReceiptMode;
  nextDeviceId: number;
  createdAt: string;
  devices: Map<number, CompanionDevice>;
}

export const pnJid = (phoneNumber: string, deviceId = 0): string => (deviceId ? `${phoneNumber}:${deviceId}@s.whatsapp.net` : `${phoneNumber}@s.whatsapp.net`);

export const lidJid = (lid: string, deviceId = 0): string => (deviceId ? `${lid}:${deviceId}@lid` : `${lid}@lid`);

export const deviceKey = (phoneNumber: string, deviceId: number): string => `${phoneNumber}:${deviceId}`;
