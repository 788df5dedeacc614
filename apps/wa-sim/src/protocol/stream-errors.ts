import { node, type BinaryNode } from './binary-node';

/** How the server ends a stream; each maps to the DisconnectReason Baileys reports. */
export const streamErrors = {
  /** Another socket logged in as the same device (Baileys: 440 connectionReplaced). */
  replaced: (): BinaryNode => node('stream:error', {}, [node('conflict', { type: 'replaced' })]),
  /** Generic conflict (Baileys: 440 connectionReplaced). */
  conflict: (): BinaryNode => node('stream:error', {}, [node('conflict', {})]),
  /** The device was unlinked from the phone (Baileys: 401 loggedOut). */
  deviceRemoved: (): BinaryNode => node('stream:error', { code: '401' }, [node('conflict', { type: 'device_removed' })]),
  /** After pairing: reconnect and log in (Baileys: 515 restartRequired). */
  restartRequired: (): BinaryNode => node('stream:error', { code: '515' }),
  /** Any other status code, e.g. 503 (Baileys reports the code as is). */
  withCode: (code: number): BinaryNode => node('stream:error', { code: String(code) }),
  /** Login refused: unknown or unlinked device (Baileys: 401 loggedOut). */
  loginFailure: (): BinaryNode => node('failure', { reason: '401', location: 'sim' }),
};
