import makeWASocket, { initAuthCreds, type AuthenticationState, type ConnectionState, type SignalDataTypeMap } from '@whiskeysockets/baileys';
import pino from 'pino';
import { WaSimRequestError, type WaSimClient } from '../../apps/wa-sim/src/client/wa-sim-client';

/** Bare Baileys, as an application without the gateway would run it: silent, no presence. */
const logger = pino({ level: 'silent' });

export type Socket = ReturnType<typeof makeWASocket>;

/** Creds and Signal keys kept in this process only (what a bare script without a database holds). */
export function memoryAuthState(): AuthenticationState {
  const store = new Map<string, unknown>();
  return {
    creds: initAuthCreds(),
    keys: {
      get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) =>
        Object.fromEntries(ids.map((id) => [id, store.get(`${type}/${id}`)]).filter(([, value]) => value !== undefined)) as {
          [id: string]: SignalDataTypeMap[T];
        },
      set: async (data) => {
        for (const [type, entries] of Object.entries(data)) {
          for (const [id, value] of Object.entries(entries ?? {})) {
            if (value == null) store.delete(`${type}/${id}`);
            else store.set(`${type}/${id}`, value);
          }
        }
      },
    },
  };
}

/** Resolves on the first connection.update the picker accepts. */
export function nextUpdate<T>(socket: Socket, pick: (update: Partial<ConnectionState>) => T | undefined, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for connection.update')), timeoutMs);
    socket.ev.on('connection.update', (update) => {
      const picked = pick(update);
      if (picked === undefined) return;
      clearTimeout(timer);
      resolve(picked);
    });
  });
}

const isOpen = (update: Partial<ConnectionState>): true | undefined => (update.connection === 'open' ? true : undefined);
export const isClosed = (update: Partial<ConnectionState>): true | undefined => (update.connection === 'close' ? true : undefined);

/** A socket for `auth` (fresh creds show a QR; saved creds log in). */
export function openSocket(auth: AuthenticationState, wsUrl: string): Socket {
  return makeWASocket({ auth, waWebSocketUrl: wsUrl, logger, markOnlineOnConnect: false });
}

/**
 * Links a companion to a simulated account (created unless it exists, so a failed link can be
 * tried again): QR scanned through the control API, the 515 restart, then login with the saved
 * creds (which uploads the prekeys). Returns the open socket; on failure no socket is left open.
 */
export async function linkCompanion(client: WaSimClient, wsUrl: string, phoneNumber: string, auth = memoryAuthState()): Promise<Socket> {
  await client.createAccount(phoneNumber).catch((error: unknown) => {
    if (!(error instanceof WaSimRequestError && error.code === 'PHONE_EXISTS')) throw error;
  });
  const sockets: Socket[] = [];
  try {
    const registering = openSocket(auth, wsUrl);
    sockets.push(registering);
    const qr = await nextUpdate(registering, (update) => update.qr);
    const closed = nextUpdate(registering, isClosed);
    // Awaited below; when the scan fails first, the socket is ended and this settles unobserved.
    closed.catch(() => undefined);
    await client.scanQr(phoneNumber, qr);
    await closed;
    const socket = openSocket(auth, wsUrl);
    sockets.push(socket);
    await nextUpdate(socket, isOpen);
    return socket;
  } catch (error) {
    for (const socket of sockets) void socket.end(undefined);
    throw error;
  }
}
