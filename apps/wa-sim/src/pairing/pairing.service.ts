import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { proto } from '@whiskeysockets/baileys';
import type { CompanionDevice } from '../accounts/phone.model';
import { PhoneRegistry } from '../accounts/phone-registry.service';
import { SimError } from '../common/sim-error';
import { node, SERVER_JID } from '../protocol/binary-node';
import type { ClientConnection } from '../server/client-connection';
import { DeviceLinker } from './device-linker.service';
import { parseQr, pendingFromPairingData, type PendingRegistration } from './pending-registration';

const QR_REF_COUNT = 6;

/** Companions waiting to be linked, and linking by QR scan. */
@Injectable()
export class PairingService {
  private readonly pending = new Set<PendingRegistration>();

  constructor(
    private readonly phones: PhoneRegistry,
    private readonly linker: DeviceLinker,
  ) {}

  /** A registration login: remember the companion's keys and hand it QR refs to display. */
  startRegistration(connection: ClientConnection, noiseKey: Buffer, data: proto.ClientPayload.IDevicePairingRegistrationData): void {
    const refs = Array.from({ length: QR_REF_COUNT }, () => randomBytes(24).toString('base64url'));
    const registration = pendingFromPairingData(connection, noiseKey, data, platformOf(data), refs);
    this.pending.add(registration);
    connection.onClose(() => this.pending.delete(registration));
    const pairDevice = node('iq', { from: SERVER_JID, type: 'set', xmlns: 'md' }, [
      node(
        'pair-device',
        {},
        refs.map((ref) => node('ref', {}, Buffer.from(ref, 'utf8'))),
      ),
    ]);
    // Baileys only acknowledges pair-device; the ack carries nothing to act on.
    connection.request(pairDevice).catch(() => undefined);
  }

  /** The phone of `phoneNumber` scans the QR string a companion displayed. */
  async scanQr(phoneNumber: string, qr: string): Promise<CompanionDevice> {
    const phone = this.phones.get(phoneNumber);
    const parsed = parseQr(qr);
    if (!parsed) throw new SimError('QR_INVALID', 'not a WhatsApp pairing QR string', 400);
    const registration = [...this.pending].find((candidate) => candidate.refs.includes(parsed.ref));
    if (!registration || !registration.noiseKey.equals(parsed.noiseKey)) {
      throw SimError.notFound('QR_UNKNOWN', 'no waiting companion shows this QR (expired or already used)');
    }
    this.pending.delete(registration);
    return this.linker.link(registration, phone, parsed.advSecret);
  }

  registrationOn(connection: ClientConnection): PendingRegistration | undefined {
    return [...this.pending].find((candidate) => candidate.connection === connection);
  }

  /** The newest waiting pairing-code request for a phone number. */
  codeRequestFor(phoneNumber: string): PendingRegistration | undefined {
    return [...this.pending].reverse().find((candidate) => candidate.codeRequest?.phoneNumber === phoneNumber);
  }

  finish(registration: PendingRegistration): void {
    this.pending.delete(registration);
  }
}

function platformOf(data: proto.ClientPayload.IDevicePairingRegistrationData): string {
  if (!data.deviceProps) return 'unknown';
  const props = proto.DeviceProps.decode(data.deviceProps);
  return props.os ?? 'unknown';
}
