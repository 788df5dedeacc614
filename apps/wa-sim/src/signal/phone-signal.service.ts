import { Injectable } from '@nestjs/common';
import { generateSignalPubKey, unpadRandomMax16, writeRandomPadMax16 } from '@whiskeysockets/baileys';
import { ProtocolAddress, SessionBuilder, SessionCipher } from 'libsignal';
import type { CompanionDevice, Phone } from '../accounts/phone.model';
import { PhoneRegistry } from '../accounts/phone-registry.service';
import { SimStateStore } from '../persistence/sim-state-store';
import { PhoneSignalStore, type SerializedSession } from './phone-signal-store';

export type EnvelopeType = 'pkmsg' | 'msg';

export interface Envelope {
  type: EnvelopeType;
  ciphertext: Buffer;
}

const FOLDER = 'signal';
const PREKEY_MESSAGE = 3;

/**
 * Signal sessions between simulated phones and companions, persisted per phone. A phone
 * decrypts what companions send it and encrypts what it sends them (first `pkmsg`, then `msg`).
 */
@Injectable()
export class PhoneSignalService {
  private readonly stores = new Map<string, PhoneSignalStore>();
  private readonly sessionMaps = new Map<string, Map<string, SerializedSession>>();

  constructor(
    private readonly phones: PhoneRegistry,
    private readonly state: SimStateStore,
  ) {}

  /** The companion's Signal address as Baileys names it: `<lid>_1.<device>` (LID domain). */
  companionAddress(device: Pick<CompanionDevice, 'phoneNumber' | 'deviceId'>): ProtocolAddress {
    return new ProtocolAddress(`${this.phones.get(device.phoneNumber).lid}_1`, device.deviceId);
  }

  /** Decrypts and unpads a companion's envelope addressed to the phone. */
  async decrypt(phone: Phone, sender: Pick<CompanionDevice, 'phoneNumber' | 'deviceId'>, envelope: Envelope): Promise<Buffer> {
    const cipher = new SessionCipher(this.storeOf(phone), this.companionAddress(sender));
    const padded =
      envelope.type === 'pkmsg' ? await cipher.decryptPreKeyWhisperMessage(envelope.ciphertext) : await cipher.decryptWhisperMessage(envelope.ciphertext);
    return Buffer.from(unpadRandomMax16(padded));
  }

  /** Pads and encrypts for the companion, opening a session from its uploaded bundle when needed. */
  async encrypt(phone: Phone, device: CompanionDevice, plaintext: Uint8Array): Promise<Envelope> {
    const store = this.storeOf(phone);
    const address = this.companionAddress(device);
    const existing = await store.loadSession(address.toString());
    if (!existing?.haveOpenSession()) await this.openSession(store, address, device);
    const { type, body } = await new SessionCipher(store, address).encrypt(writeRandomPadMax16(plaintext));
    return { type: type === PREKEY_MESSAGE ? 'pkmsg' : 'msg', ciphertext: Buffer.from(body, 'binary') };
  }

  private async openSession(store: PhoneSignalStore, address: ProtocolAddress, device: CompanionDevice): Promise<void> {
    const [preKeyId, preKey] = device.preKeys.entries().next().value ?? [];
    if (preKeyId !== undefined) {
      device.preKeys.delete(preKeyId);
      this.phones.save(this.phones.get(device.phoneNumber));
    }
    await new SessionBuilder(store, address).initOutgoing({
      registrationId: device.registrationId,
      identityKey: generateSignalPubKey(device.identityKey),
      signedPreKey: {
        keyId: device.signedPreKey.keyId,
        publicKey: generateSignalPubKey(device.signedPreKey.publicKey),
        signature: device.signedPreKey.signature,
      },
      // Bundles without a one-time prekey are valid; libsignal's typings just insist on one.
      preKey: preKey && preKeyId !== undefined ? { keyId: preKeyId, publicKey: generateSignalPubKey(preKey) } : undefined!,
    });
  }

  /** Forgets sessions with a companion (after unlink), so a re-linked device starts fresh. */
  forgetCompanion(device: Pick<CompanionDevice, 'phoneNumber' | 'deviceId'>): void {
    const address = this.companionAddress(device).toString();
    for (const phone of this.phones.list()) {
      if (this.sessionsOf(phone).delete(address)) this.persist(phone);
    }
  }

  private sessionsOf(phone: Phone): Map<string, SerializedSession> {
    let sessions = this.sessionMaps.get(phone.phoneNumber);
    if (!sessions) {
      const stored = this.state.files.read<Record<string, SerializedSession>>(`${FOLDER}/${phone.phoneNumber}`) ?? {};
      sessions = new Map(Object.entries(stored));
      this.sessionMaps.set(phone.phoneNumber, sessions);
    }
    return sessions;
  }

  private storeOf(phone: Phone): PhoneSignalStore {
    let store = this.stores.get(phone.phoneNumber);
    if (!store) {
      store = new PhoneSignalStore(phone, this.sessionsOf(phone), () => this.persist(phone));
      this.stores.set(phone.phoneNumber, store);
    }
    return store;
  }

  private persist(phone: Phone): void {
    const sessions = this.sessionsOf(phone);
    this.state.files.write(`${FOLDER}/${phone.phoneNumber}`, () => Object.fromEntries(sessions));
  }
}
