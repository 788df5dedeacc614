import { createHmac, randomInt } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Curve, proto } from '@whiskeysockets/baileys';
import type { CompanionDevice, Phone } from '../accounts/phone.model';
import { lidJid, pnJid } from '../accounts/phone.model';
import { PhoneRegistry } from '../accounts/phone-registry.service';
import { SimError } from '../common/sim-error';
import { bytesOf, child, node, SERVER_JID, unixNow } from '../protocol/binary-node';
import { streamErrors } from '../protocol/stream-errors';
import type { PendingRegistration } from './pending-registration';

const ACCOUNT_SIGNATURE_PREFIX = Buffer.from([6, 0]);
const DEVICE_SIGNATURE_PREFIX = Buffer.from([6, 1]);

/**
 * The phone's side of linking, shared by QR and pairing code: sign the companion's identity with
 * the account key, send `pair-success`, verify the companion's counter-signature, store the
 * device, then ask the companion to reconnect (515).
 */
@Injectable()
export class DeviceLinker {
  private readonly logger = new Logger('DeviceLinker');

  constructor(private readonly phones: PhoneRegistry) {}

  async link(pending: PendingRegistration, phone: Phone, advSecret: Buffer): Promise<CompanionDevice> {
    const deviceId = this.phones.allocateDeviceId(phone);
    const details = Buffer.from(
      proto.ADVDeviceIdentity.encode({
        rawId: randomInt(1, 2 ** 31),
        timestamp: Math.floor(Date.now() / 1000),
        keyIndex: deviceId,
      }).finish(),
    );
    const accountSignature = Curve.sign(phone.identity.private, Buffer.concat([ACCOUNT_SIGNATURE_PREFIX, details, pending.identityKey]));
    const signedIdentity = Buffer.from(
      proto.ADVSignedDeviceIdentity.encode({ details, accountSignatureKey: phone.identity.public, accountSignature }).finish(),
    );
    const hmac = createHmac('sha256', advSecret).update(signedIdentity).digest();
    const identityWithHmac = proto.ADVSignedDeviceIdentityHMAC.encode({ details: signedIdentity, hmac }).finish();

    const reply = await pending.connection.request(
      node('iq', { from: SERVER_JID, type: 'set', xmlns: 'md', t: unixNow() }, [
        node('pair-success', {}, [
          node('device-identity', {}, identityWithHmac),
          node('platform', { name: 'android' }),
          node('device', { jid: pnJid(phone.phoneNumber, deviceId), lid: lidJid(phone.lid, deviceId) }),
        ]),
      ]),
    );
    this.verifyDeviceSignature(reply, details, pending.identityKey, phone.identity.public);

    const device: CompanionDevice = {
      phoneNumber: phone.phoneNumber,
      deviceId,
      keyIndex: deviceId,
      noiseKey: pending.noiseKey,
      identityKey: pending.identityKey,
      registrationId: pending.registrationId,
      signedPreKey: pending.signedPreKey,
      preKeys: new Map(),
      platform: pending.platform,
      linkedAt: new Date().toISOString(),
      initialSyncSent: false,
      pending: [],
    };
    this.phones.addDevice(device);
    this.logger.log(`linked ${phone.phoneNumber}:${deviceId} (${pending.platform})`);
    pending.connection.endWith(streamErrors.restartRequired());
    return device;
  }

  private verifyDeviceSignature(reply: Parameters<typeof bytesOf>[0], details: Buffer, companionIdentity: Buffer, accountKey: Buffer): void {
    const encoded = bytesOf(child(child(reply, 'pair-device-sign'), 'device-identity'));
    if (reply?.attrs.type !== 'result' || !encoded) {
      throw new SimError('PAIRING_REJECTED', 'the companion rejected pair-success', 502);
    }
    const { deviceSignature } = proto.ADVSignedDeviceIdentity.decode(encoded);
    const signed = Buffer.concat([DEVICE_SIGNATURE_PREFIX, details, companionIdentity, accountKey]);
    if (!deviceSignature || !Curve.verify(companionIdentity, signed, deviceSignature)) {
      throw new SimError('PAIRING_SIGNATURE_INVALID', 'the companion signed its device identity wrongly', 502);
    }
  }
}
