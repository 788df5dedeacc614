import { Injectable } from '@nestjs/common';
import { deviceKey } from '../accounts/phone.model';
import type { ClientConnection, DeviceAddress } from './client-connection';

export type DeviceReadyListener = (connection: ClientConnection) => void | Promise<void>;

export interface AccountConnectionStats {
  /** Authenticated sockets of the account's companions open right now. */
  live: number;
  /** Highest `live` seen since start or the last reset. */
  max: number;
}

/**
 * Every open socket, and which companion each authenticated one belongs to. Counts live
 * connections per account at every change and remembers the maximum, so tests can prove a
 * client never held two sockets for one account.
 */
@Injectable()
export class ConnectionRegistry {
  private readonly open = new Set<ClientConnection>();
  private readonly byDevice = new Map<string, ClientConnection>();
  private readonly live = new Map<string, number>();
  private readonly max = new Map<string, number>();
  private readonly readyListeners: DeviceReadyListener[] = [];

  track(connection: ClientConnection): void {
    this.open.add(connection);
    connection.onClose(() => this.open.delete(connection));
  }

  /**
   * Marks the connection as logged in for the device. Returns the device's previous live
   * connection, which the caller replaces (WhatsApp keeps one socket per device).
   */
  authenticate(connection: ClientConnection, device: DeviceAddress): ClientConnection | undefined {
    const key = deviceKey(device.phoneNumber, device.deviceId);
    const previous = this.byDevice.get(key);
    connection.device = device;
    this.byDevice.set(key, connection);
    this.adjust(device.phoneNumber, +1);
    connection.onClose(() => {
      this.adjust(device.phoneNumber, -1);
      if (this.byDevice.get(key) === connection) this.byDevice.delete(key);
    });
    return previous?.isOpen ? previous : undefined;
  }

  /** Called once per login when the companion declares itself active (its keys are uploaded by then). */
  onDeviceReady(listener: DeviceReadyListener): void {
    this.readyListeners.push(listener);
  }

  async markReady(connection: ClientConnection): Promise<void> {
    connection.ready = true;
    for (const listener of this.readyListeners) await listener(connection);
  }

  find(phoneNumber: string, deviceId: number): ClientConnection | undefined {
    return this.byDevice.get(deviceKey(phoneNumber, deviceId));
  }

  forAccount(phoneNumber: string): ClientConnection[] {
    return [...this.open].filter((connection) => connection.device?.phoneNumber === phoneNumber);
  }

  stats(phoneNumber: string): AccountConnectionStats {
    return { live: this.live.get(phoneNumber) ?? 0, max: this.max.get(phoneNumber) ?? 0 };
  }

  /** Restarts the maximum from the current live count, for one account or all. */
  resetMax(phoneNumber?: string): void {
    const accounts = phoneNumber ? [phoneNumber] : [...this.max.keys()];
    for (const account of accounts) this.max.set(account, this.live.get(account) ?? 0);
  }

  get openCount(): number {
    return this.open.size;
  }

  get authenticatedCount(): number {
    return [...this.live.values()].reduce((sum, count) => sum + count, 0);
  }

  dropAll(): void {
    for (const connection of this.open) connection.drop();
  }

  private adjust(phoneNumber: string, delta: number): void {
    const live = (this.live.get(phoneNumber) ?? 0) + delta;
    this.live.set(phoneNumber, live);
    if (live > (this.max.get(phoneNumber) ?? 0)) this.max.set(phoneNumber, live);
  }
}
