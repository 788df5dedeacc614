import { createHash, randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { jidDecode, signedKeyPair } from '@whiskeysockets/baileys';
import { newKeyPair } from '../persistence/key-codec';
import { SimError } from '../common/sim-error';
import { SimStateStore } from '../persistence/sim-state-store';
import { decodePhone, encodePhone, type StoredPhone } from './phone-codec';
import type { CompanionDevice, Phone, PhoneRole, ReceiptMode } from './phone.model';

export interface NewPhone {
  phoneNumber: string;
  role: PhoneRole;
  name?: string;
  lid?: string;
  receiptMode?: ReceiptMode;
}

const FOLDER = 'phones';

/** Every simulated phone and its linked companions, persisted one file per phone. */
@Injectable()
export class PhoneRegistry {
  private readonly byNumber = new Map<string, Phone>();
  private readonly byLid = new Map<string, Phone>();

  constructor(private readonly state: SimStateStore) {
    for (const key of state.files.list(FOLDER)) {
      const stored = state.files.read<StoredPhone>(key);
      if (stored) this.index(decodePhone(stored));
    }
  }

  create(request: NewPhone): Phone {
    if (this.byNumber.has(request.phoneNumber)) {
      throw SimError.conflict('PHONE_EXISTS', `phone ${request.phoneNumber} already exists`);
    }
    const lid = request.lid ?? deriveLid(request.phoneNumber);
    if (this.byLid.has(lid)) throw SimError.conflict('LID_EXISTS', `LID ${lid} is already used`);
    const identity = newKeyPair();
    const signed = signedKeyPair(identity, 1);
    const phone: Phone = {
      phoneNumber: request.phoneNumber,
      lid,
      name: request.name ?? `Sim ${request.phoneNumber}`,
      role: request.role,
      identity,
      registrationId: randomInt(1, 16380),
      signedPreKey: {
        keyId: signed.keyId,
        keyPair: { public: Buffer.from(signed.keyPair.public), private: Buffer.from(signed.keyPair.private) },
        signature: Buffer.from(signed.signature),
      },
      receiptMode: request.receiptMode ?? 'read',
      nextDeviceId: 1,
      createdAt: new Date().toISOString(),
      devices: new Map(),
    };
    this.index(phone);
    this.save(phone);
    return phone;
  }

  list(role?: PhoneRole): Phone[] {
    return [...this.byNumber.values()].filter((phone) => !role || phone.role === role);
  }

  find(phoneNumber: string): Phone | undefined {
    return this.byNumber.get(phoneNumber);
  }

  get(phoneNumber: string): Phone {
    const phone = this.byNumber.get(phoneNumber);
    if (!phone) throw SimError.notFound('PHONE_NOT_FOUND', `no simulated phone ${phoneNumber}`);
    return phone;
  }

  /** Numbers the simulator has never seen become contacts on first use, as if they had WhatsApp. */
  getOrCreateContact(phoneNumber: string): Phone {
    return this.byNumber.get(phoneNumber) ?? this.create({ phoneNumber, role: 'contact' });
  }

  /** Resolves `PN@s.whatsapp.net`, `PN:D@s.whatsapp.net`, `LID@lid` or `LID:D@lid` to a phone. */
  findByJid(jid: string, createUnknownPn = false): Phone | undefined {
    const decoded = jidDecode(jid);
    if (!decoded?.user) return undefined;
    if (decoded.server === 'lid') return this.byLid.get(decoded.user);
    if (decoded.server !== 's.whatsapp.net') return undefined;
    return createUnknownPn && /^\d{6,15}$/.test(decoded.user) ? this.getOrCreateContact(decoded.user) : this.byNumber.get(decoded.user);
  }

  getDevice(phoneNumber: string, deviceId: number): CompanionDevice {
    const device = this.get(phoneNumber).devices.get(deviceId);
    if (!device) throw SimError.notFound('DEVICE_NOT_FOUND', `phone ${phoneNumber} has no device ${deviceId}`);
    return device;
  }

  findDeviceByNoiseKey(phoneNumber: string, deviceId: number, noiseKey: Buffer): CompanionDevice | undefined {
    const device = this.byNumber.get(phoneNumber)?.devices.get(deviceId);
    return device?.noiseKey.equals(noiseKey) ? device : undefined;
  }

  allocateDeviceId(phone: Phone): number {
    const deviceId = phone.nextDeviceId++;
    this.save(phone);
    return deviceId;
  }

  addDevice(device: CompanionDevice): void {
    const phone = this.get(device.phoneNumber);
    phone.devices.set(device.deviceId, device);
    this.save(phone);
  }

  removeDevice(phoneNumber: string, deviceId: number): CompanionDevice {
    const phone = this.get(phoneNumber);
    const device = this.getDevice(phoneNumber, deviceId);
    phone.devices.delete(deviceId);
    this.save(phone);
    return device;
  }

  setReceiptMode(phoneNumber: string, mode: ReceiptMode): Phone {
    const phone = this.get(phoneNumber);
    phone.receiptMode = mode;
    this.save(phone);
    return phone;
  }

  /** Persists the phone and everything hanging off it (devices, their keys and queues). */
  save(phone: Phone): void {
    this.state.files.write(`${FOLDER}/${phone.phoneNumber}`, () => encodePhone(phone));
  }

  private index(phone: Phone): void {
    this.byNumber.set(phone.phoneNumber, phone);
    this.byLid.set(phone.lid, phone);
  }
}

/** A stable 15-digit LID per number, so fresh state directories give the same LIDs. */
function deriveLid(phoneNumber: string): string {
  const digest = createHash('sha256').update(`lid:${phoneNumber}`).digest();
  return `1${(digest.readBigUInt64BE(0) % 10n ** 14n).toString().padStart(14, '0')}`;
}
