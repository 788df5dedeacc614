import { generateSignalPubKey } from '@whiskeysockets/baileys';
import { SessionRecord, type SignalStorage } from 'libsignal';
import type { Phone } from '../accounts/phone.model';

/** libsignal's session records serialise to plain JSON objects (its typings say Uint8Array). */
export type SerializedSession = Record<string, unknown>;

/**
 * libsignal storage for one simulated phone. Its identity is the account key; it publishes a
 * signed prekey only (bundles without one-time prekeys are valid X3DH), so it keeps no prekeys.
 */
export class PhoneSignalStore implements SignalStorage {
  constructor(
    private readonly phone: Phone,
    private readonly sessions: Map<string, SerializedSession>,
    private readonly onChange: () => void,
  ) {}

  async loadSession(address: string): Promise<SessionRecord | undefined> {
    const stored = this.sessions.get(address);
    return stored ? SessionRecord.deserialize(stored as unknown as Uint8Array) : undefined;
  }

  async storeSession(address: string, record: SessionRecord): Promise<void> {
    this.sessions.set(address, record.serialize() as unknown as SerializedSession);
    this.onChange();
  }

  /** Trust on first use, as WhatsApp clients do. */
  isTrustedIdentity(): boolean {
    return true;
  }

  async loadPreKey(): Promise<undefined> {
    return undefined;
  }

  removePreKey(): void {}

  loadSignedPreKey(): { privKey: Buffer; pubKey: Buffer } {
    const { keyPair } = this.phone.signedPreKey;
    return { privKey: keyPair.private, pubKey: Buffer.from(generateSignalPubKey(keyPair.public)) };
  }

  getOurRegistrationId(): number {
    return this.phone.registrationId;
  }

  getOurIdentity(): { privKey: Buffer; pubKey: Buffer } {
    return { privKey: this.phone.identity.private, pubKey: Buffer.from(generateSignalPubKey(this.phone.identity.public)) };
  }
}
