import { Injectable } from '@nestjs/common';
import { PhoneRegistry } from '../accounts/phone-registry.service';
import { SimError } from '../common/sim-error';
import { streamErrors } from '../protocol/stream-errors';
import type { ClientConnection } from '../server/client-connection';
import { ConnectionRegistry } from '../server/connection-registry.service';

export type StreamErrorKind = 'conflict' | 'replaced' | 'device_removed' | 'restart_required' | 'code';

/** Network and server faults injected on demand into an account's live connections. */
@Injectable()
export class FaultsService {
  constructor(
    private readonly phones: PhoneRegistry,
    private readonly connections: ConnectionRegistry,
  ) {}

  /** Cuts the sockets without a close handshake, like a network failure. Returns how many. */
  drop(phoneNumber: string, deviceId?: number): number {
    const targets = this.targets(phoneNumber, deviceId);
    for (const connection of targets) connection.drop();
    return targets.length;
  }

  streamError(phoneNumber: string, kind: StreamErrorKind, deviceId?: number, code?: number): number {
    const stanza = {
      conflict: streamErrors.conflict,
      replaced: streamErrors.replaced,
      device_removed: streamErrors.deviceRemoved,
      restart_required: streamErrors.restartRequired,
      code: () => streamErrors.withCode(code ?? 503),
    }[kind]();
    const targets = this.targets(phoneNumber, deviceId);
    for (const connection of targets) connection.endWith(stanza);
    return targets.length;
  }

  private targets(phoneNumber: string, deviceId?: number): ClientConnection[] {
    this.phones.get(phoneNumber);
    const targets = this.connections.forAccount(phoneNumber).filter((connection) => deviceId === undefined || connection.device?.deviceId === deviceId);
    if (targets.length === 0) {
      throw SimError.conflict('NOT_CONNECTED', `no live connection for ${phoneNumber}${deviceId ? `:${deviceId}` : ''}`);
    }
    return targets;
  }
}
