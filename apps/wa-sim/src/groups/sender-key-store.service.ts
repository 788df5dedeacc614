import { Injectable } from '@nestjs/common';
import { unpadRandomMax16, writeRandomPadMax16 } from '@whiskeysockets/baileys';
import { deviceKey } from '../accounts/phone.model';
import { fromBase64, toBase64 } from '../persistence/key-codec';
import { SimStateStore } from '../persistence/sim-state-store';
import type { DeviceAddress } from '../server/client-connection';
import { distributionMessage, newSenderKey, parseDistributionMessage, senderKeyDecrypt, senderKeyEncrypt, type SenderKeyState } from './sender-key';

interface StoredSenderKey {
  keyId: number;
  iteration: number;
  chainKey: string;
  signingPublic: string;
  signingPrivate?: string;
}

interface StoredGroupKeys {
  phones: Record<string, StoredSenderKey>;
  distributed: string[];
  companions: Record<string, StoredSenderKey>;
}

/** The sender-key side of one group. */
interface GroupKeys {
  /** Each member phone's own sender key, by phone number. */
  phones: Map<string, SenderKeyState>;
  /** `<phone>#<key id>><companion pn>:<device>`: companions that already hold that key of the phone. */
  distributed: Set<string>;
  /** Keys companions distributed to the member phones, by `<pn>:<device>`. */
  companions: Map<string, SenderKeyState>;
}

/** A phone's group message encrypted once, with the key position a companion without the key needs. */
export interface SealedGroupMessage {
  keyId: number;
  ciphertext: Buffer;
  distribution: Buffer;
}

const FOLDER = 'sender-keys';
const MAX_SEALED = 5_000;

const storeKey = (state: SenderKeyState): StoredSenderKey => ({
  keyId: state.keyId,
  iteration: state.iteration,
  chainKey: toBase64(state.chainKey),
  signingPublic: toBase64(state.signingPublic),
  signingPrivate: state.signingPrivate && toBase64(state.signingPrivate),
});

const loadKey = (stored: StoredSenderKey): SenderKeyState => ({
  keyId: stored.keyId,
  iteration: stored.iteration,
  chainKey: fromBase64(stored.chainKey),
  signingPublic: fromBase64(stored.signingPublic),
  signingPrivate: stored.signingPrivate ? fromBase64(stored.signingPrivate) : undefined,
});

/**
 * Sender keys per group, persisted one file per group: member phones' own keys (and which
 * companions already received them) and the keys companions distributed. The simulator keeps
 * one copy of a companion's key per group, as if every member phone shared it.
 */
@Injectable()
export class SenderKeyStore {
  private readonly groups = new Map<string, GroupKeys>();
  /** Ciphertexts of recent phone messages, so queued and live copies carry the same skmsg. */
  private readonly sealedMessages = new Map<string, SealedGroupMessage>();

  constructor(private readonly state: SimStateStore) {}

  /** The phone's message to the group as every companion receives it; encrypted on first use. */
  seal(groupId: string, phoneNumber: string, messageId: string, message: Uint8Array): SealedGroupMessage {
    const cacheKey = `${groupId}|${phoneNumber}|${messageId}`;
    const cached = this.sealedMessages.get(cacheKey);
    if (cached) return cached;
    const keys = this.keysOf(groupId);
    const own = keys.phones.get(phoneNumber) ?? newSenderKey();
    keys.phones.set(phoneNumber, own);
    const distribution = distributionMessage(own);
    const sealed = { keyId: own.keyId, ciphertext: senderKeyEncrypt(own, writeRandomPadMax16(message)), distribution };
    this.persist(groupId);
    this.sealedMessages.set(cacheKey, sealed);
    if (this.sealedMessages.size > MAX_SEALED) this.sealedMessages.delete(this.sealedMessages.keys().next().value!);
    return sealed;
  }

  /** True once; afterwards the companion holds the phone's key and gets `skmsg` alone. */
  takeDistribution(groupId: string, phoneNumber: string, sealed: SealedGroupMessage, device: DeviceAddress): boolean {
    const keys = this.keysOf(groupId);
    const entry = `${phoneNumber}#${sealed.keyId}>${deviceKey(device.phoneNumber, device.deviceId)}`;
    if (keys.distributed.has(entry)) return false;
    keys.distributed.add(entry);
    this.persist(groupId);
    return true;
  }

  /** Keeps a known key's position (a re-sent SKDM must not rewind it); a new key id replaces it. */
  acceptDistribution(groupId: string, sender: DeviceAddress, serialized: Uint8Array): void {
    const keys = this.keysOf(groupId);
    const incoming = parseDistributionMessage(serialized);
    const address = deviceKey(sender.phoneNumber, sender.deviceId);
    if (keys.companions.get(address)?.keyId === incoming.keyId) return;
    keys.companions.set(address, incoming);
    this.persist(groupId);
  }

  /** Decrypts a companion's `skmsg` and strips Baileys' random padding. */
  decrypt(groupId: string, sender: DeviceAddress, serialized: Uint8Array): Buffer {
    const key = this.keysOf(groupId).companions.get(deviceKey(sender.phoneNumber, sender.deviceId));
    if (!key) throw new Error(`no sender key of ${deviceKey(sender.phoneNumber, sender.deviceId)} in group ${groupId}`);
    const padded = senderKeyDecrypt(key, serialized);
    this.persist(groupId);
    return Buffer.from(unpadRandomMax16(padded));
  }

  /** After a member leaves, phones start new keys so it cannot read what follows (as WhatsApp does). */
  rotate(groupId: string): void {
    const keys = this.keysOf(groupId);
    keys.phones.clear();
    keys.distributed.clear();
    this.persist(groupId);
  }

  private keysOf(groupId: string): GroupKeys {
    let keys = this.groups.get(groupId);
    if (!keys) {
      const stored = this.state.files.read<StoredGroupKeys>(`${FOLDER}/${groupId}`);
      keys = {
        phones: new Map(Object.entries(stored?.phones ?? {}).map(([phone, key]) => [phone, loadKey(key)])),
        distributed: new Set(stored?.distributed ?? []),
        companions: new Map(Object.entries(stored?.companions ?? {}).map(([address, key]) => [address, loadKey(key)])),
      };
      this.groups.set(groupId, keys);
    }
    return keys;
  }

  private persist(groupId: string): void {
    const keys = this.keysOf(groupId);
    this.state.files.write(`${FOLDER}/${groupId}`, (): StoredGroupKeys => ({
      phones: Object.fromEntries([...keys.phones].map(([phone, key]) => [phone, storeKey(key)])),
      distributed: [...keys.distributed],
      companions: Object.fromEntries([...keys.companions].map(([address, key]) => [address, storeKey(key)])),
    }));
  }
}
