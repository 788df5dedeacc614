import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { proto } from '@whiskeysockets/baileys';
import { lidJid } from '../accounts/phone.model';
import { PhoneRegistry } from '../accounts/phone-registry.service';
import { PairingService } from '../pairing/pairing.service';
import { node, unixNow } from '../protocol/binary-node';
import { streamErrors } from '../protocol/stream-errors';
import type { ClientConnection } from '../server/client-connection';
import { ConnectionRegistry } from '../server/connection-registry.service';
import { StanzaRouter } from '../server/stanza-router.service';

/**
 * What happens right after the Noise handshake: a registration payload starts pairing; a login
 * payload is authenticated by the Noise static key remembered when the device was linked.
 */
@Injectable()
export class LoginService implements OnModuleInit {
  private readonly logger = new Logger('LoginService');

  constructor(
    private readonly router: StanzaRouter,
    private readonly phones: PhoneRegistry,
    private readonly connections: ConnectionRegistry,
    private readonly pairing: PairingService,
  ) {}

  onModuleInit(): void {
    this.router.onHandshake((connection, clientStaticKey, payload) => this.accept(connection, clientStaticKey, payload));
  }

  private accept(connection: ClientConnection, clientStaticKey: Buffer, payload: proto.ClientPayload): void {
    if (payload.devicePairingData) {
      this.pairing.startRegistration(connection, clientStaticKey, payload.devicePairingData);
      return;
    }
    const phoneNumber = payload.username?.toString() ?? '';
    const deviceId = payload.device ?? 0;
    const device = this.phones.findDeviceByNoiseKey(phoneNumber, deviceId, clientStaticKey);
    if (!device) {
      this.logger.log(`${connection.label}: refused login of ${phoneNumber}:${deviceId} (unknown device)`);
      connection.endWith(streamErrors.loginFailure());
      return;
    }
    const replaced = this.connections.authenticate(connection, { phoneNumber, deviceId });
    if (replaced) {
      this.logger.log(`${replaced.label}: replaced by ${connection.label}`);
      replaced.endWith(streamErrors.replaced());
    }
    const phone = this.phones.get(phoneNumber);
    connection.send(node('success', { t: unixNow(), lid: lidJid(phone.lid, deviceId), location: 'sim', creation: unixNow() }));
  }
}
