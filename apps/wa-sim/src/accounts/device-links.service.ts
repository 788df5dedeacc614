import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { jidDecode } from '@whiskeysockets/baileys';
import { streamErrors } from '../protocol/stream-errors';
import { ConnectionRegistry } from '../server/connection-registry.service';
import { StanzaRouter } from '../server/stanza-router.service';
import { PhoneSignalService } from '../signal/phone-signal.service';
import type { CompanionDevice } from './phone.model';
import { PhoneRegistry } from './phone-registry.service';

/** Unlinking companions: from the phone (control API) or by the companion itself (logout). */
@Injectable()
export class DeviceLinksService implements OnModuleInit {
  private readonly logger = new Logger('DeviceLinksService');

  constructor(
    private readonly router: StanzaRouter,
    private readonly phones: PhoneRegistry,
    private readonly connections: ConnectionRegistry,
    private readonly signal: PhoneSignalService,
  ) {}

  onModuleInit(): void {
    this.router.onIq('md', 'remove-companion-device', ({ connection, query }) => {
      const decoded = jidDecode(query?.attrs.jid ?? '');
      const own = connection.device;
      if (own && decoded?.user === own.phoneNumber && (decoded.device ?? 0) === own.deviceId) {
        this.forget(own.phoneNumber, own.deviceId);
      }
    });
  }

  /** The phone removes a linked device; a connected one is told the way WhatsApp does (401). */
  unlink(phoneNumber: string, deviceId: number): CompanionDevice {
    const device = this.forget(phoneNumber, deviceId);
    this.connections.find(phoneNumber, deviceId)?.endWith(streamErrors.deviceRemoved());
    return device;
  }

  private forget(phoneNumber: string, deviceId: number): CompanionDevice {
    const device = this.phones.removeDevice(phoneNumber, deviceId);
    this.signal.forgetCompanion(device);
    this.logger.log(`unlinked ${phoneNumber}:${deviceId}`);
    return device;
  }
}
