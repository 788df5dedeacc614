import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { CompanionDevice, Phone } from '../accounts/phone.model';
import { PhoneRegistry } from '../accounts/phone-registry.service';
import { child, childBytes, children, childUInt, node, uintBytes, type BinaryNode } from '../protocol/binary-node';
import { IqError, StanzaRouter, type IqRequest } from '../server/stanza-router.service';

/** The simulator keeps this many one-time prekeys per companion; `count` reports what it holds. */
const MAX_STORED_PREKEYS = 50;
const KEY_TYPE_DJB = Buffer.from([5]);

/**
 * The `encrypt` namespace: companions upload and rotate their Signal keys and fetch the
 * prekey bundles of phones they message.
 */
@Injectable()
export class PrekeysHandler implements OnModuleInit {
  constructor(
    private readonly router: StanzaRouter,
    private readonly phones: PhoneRegistry,
  ) {}

  onModuleInit(): void {
    this.router.onIq('encrypt', 'count', (request) => [node('count', { value: String(this.deviceOf(request).preKeys.size) })]);
    this.router.onIq('encrypt', 'digest', (request) => this.digest(this.deviceOf(request)));
    this.router.onIq('encrypt', 'registration', (request) => this.upload(request));
    this.router.onIq('encrypt', 'rotate', (request) => this.rotate(request));
    this.router.onIq('encrypt', 'key', ({ query }) => [node('list', {}, this.bundles(query))]);
  }

  private deviceOf({ connection }: IqRequest): CompanionDevice {
    const device = connection.device;
    if (!device) throw new IqError(401, 'not-authorized');
    return this.phones.getDevice(device.phoneNumber, device.deviceId);
  }

  private upload(request: IqRequest): void {
    const device = this.deviceOf(request);
    const { iq } = request;
    device.registrationId = childUInt(iq, 'registration') ?? device.registrationId;
    device.identityKey = childBytes(iq, 'identity') ?? device.identityKey;
    this.applySignedPreKey(device, child(iq, 'skey'));
    for (const key of children(child(iq, 'list'), 'key')) {
      if (device.preKeys.size >= MAX_STORED_PREKEYS) break;
      const id = childUInt(key, 'id');
      const value = childBytes(key, 'value');
      if (id !== undefined && value) device.preKeys.set(id, value);
    }
    this.phones.save(this.phones.get(device.phoneNumber));
  }

  private rotate(request: IqRequest): void {
    const device = this.deviceOf(request);
    this.applySignedPreKey(device, child(request.query, 'skey'));
    this.phones.save(this.phones.get(device.phoneNumber));
  }

  private applySignedPreKey(device: CompanionDevice, skey: BinaryNode | undefined): void {
    const keyId = childUInt(skey, 'id');
    const publicKey = childBytes(skey, 'value');
    const signature = childBytes(skey, 'signature');
    if (keyId !== undefined && publicKey && signature) device.signedPreKey = { keyId, publicKey, signature };
  }

  /** Only the presence of `<digest>` matters to Baileys; the content mirrors what it uploaded. */
  private digest(device: CompanionDevice): BinaryNode[] {
    return [
      node('digest', {}, [
        node('type', {}, KEY_TYPE_DJB),
        node('identity', {}, device.identityKey),
        node('registration', {}, uintBytes(device.registrationId, 4)),
      ]),
    ];
  }

  /** Bundles of phones (device 0). Companion devices are never listed by usync, so never asked for. */
  private bundles(query: BinaryNode | undefined): BinaryNode[] {
    return children(query, 'user').flatMap((user) => {
      const jid = user.attrs.jid ?? '';
      const phone = this.phones.findByJid(jid, true);
      return phone ? [node('user', { jid }, this.phoneBundle(phone))] : [];
    });
  }

  private phoneBundle(phone: Phone): BinaryNode[] {
    const { keyId, keyPair, signature } = phone.signedPreKey;
    return [
      node('registration', {}, uintBytes(phone.registrationId, 4)),
      node('type', {}, KEY_TYPE_DJB),
      node('identity', {}, phone.identity.public),
      node('skey', {}, [node('id', {}, uintBytes(keyId, 3)), node('value', {}, keyPair.public), node('signature', {}, signature)]),
    ];
  }
}
