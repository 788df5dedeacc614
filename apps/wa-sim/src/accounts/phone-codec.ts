import { fromBase64, loadKeyPair, storeKeyPair, toBase64, type StoredKeyPair } from '../persistence/key-codec';
import type { CompanionDevice, PendingDelivery, Phone, PhoneRole, ReceiptMode } from './phone.model';

interface StoredPendingDelivery extends Omit<PendingDelivery, 'message'> {
  message: string;
}

interface StoredCompanion {
  deviceId: number;
  keyIndex: number;
  noiseKey: string;
  identityKey: string;
  registrationId: number;
  signedPreKey: { keyId: number; publicKey: string; signature: string };
  preKeys: [number, string][];
  platform: string;
  linkedAt: string;
  initialSyncSent: boolean;
  pending: StoredPendingDelivery[];
}

export interface StoredPhone {
  phoneNumber: string;
  lid: string;
  name: string;
  role: PhoneRole;
  identity: StoredKeyPair;
  registrationId: number;
  signedPreKey: { keyId: number; keyPair: StoredKeyPair; signature: string };
  receiptMode: ReceiptMode;
  nextDeviceId: number;
  createdAt: string;
  devices: StoredCompanion[];
}

export function encodePhone(phone: Phone): StoredPhone {
  return {
    ...phone,
    identity: storeKeyPair(phone.identity),
    signedPreKey: {
      keyId: phone.signedPreKey.keyId,
      keyPair: storeKeyPair(phone.signedPreKey.keyPair),
      signature: toBase64(phone.signedPreKey.signature),
    },
    devices: [...phone.devices.values()].map(encodeCompanion),
  };
}

export function decodePhone(stored: StoredPhone): Phone {
  const phone: Phone = {
    ...stored,
    identity: loadKeyPair(stored.identity),
    signedPreKey: {
      keyId: stored.signedPreKey.keyId,
      keyPair: loadKeyPair(stored.signedPreKey.keyPair),
      signature: fromBase64(stored.signedPreKey.signature),
    },
    devices: new Map(),
  };
  for (const device of stored.devices) phone.devices.set(device.deviceId, decodeCompanion(stored.phoneNumber, device));
  return phone;
}

function encodeCompanion(device: CompanionDevice): StoredCompanion {
  return {
    deviceId: device.deviceId,
    keyIndex: device.keyIndex,
    noiseKey: toBase64(device.noiseKey),
    identityKey: toBase64(device.identityKey),
    registrationId: device.registrationId,
    signedPreKey: {
      keyId: device.signedPreKey.keyId,
      publicKey: toBase64(device.signedPreKey.publicKey),
      signature: toBase64(device.signedPreKey.signature),
    },
    preKeys: [...device.preKeys].map(([id, key]) => [id, toBase64(key)]),
    platform: device.platform,
    linkedAt: device.linkedAt,
    initialSyncSent: device.initialSyncSent,
    pending: device.pending.map((item) => ({ ...item, message: toBase64(item.message) })),
  };
}

function decodeCompanion(phoneNumber: string, stored: StoredCompanion): CompanionDevice {
  return {
    ...stored,
    phoneNumber,
    noiseKey: fromBase64(stored.noiseKey),
    identityKey: fromBase64(stored.identityKey),
    signedPreKey: {
      keyId: stored.signedPreKey.keyId,
      publicKey: fromBase64(stored.signedPreKey.publicKey),
      signature: fromBase64(stored.signedPreKey.signature),
    },
    preKeys: new Map(stored.preKeys.map(([id, key]) => [id, fromBase64(key)])),
    pending: stored.pending.map((item) => ({ ...item, message: fromBase64(item.message) })),
  };
}
