/**
 * The one thing the console keeps: the credential it signed in with, in sessionStorage (gone
 * when the tab closes, never shared with other tabs). A login token, or an API key the user typed.
 */
export type Credential = { kind: 'token'; value: string } | { kind: 'apiKey'; value: string };

export const CREDENTIAL_STORAGE_KEY = 'wagw.console.credential';

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function readCredential(storage: KeyValueStorage): Credential | null {
  const stored = storage.getItem(CREDENTIAL_STORAGE_KEY);
  if (!stored) return null;
  try {
    const parsed = JSON.parse(stored) as Partial<Credential>;
    if ((parsed.kind === 'token' || parsed.kind === 'apiKey') && typeof parsed.value === 'string' && parsed.value) {
      return { kind: parsed.kind, value: parsed.value };
    }
  } catch {
    // Not ours or damaged: treated as signed out, and overwritten at the next sign-in.
  }
  return null;
}

export function saveCredential(storage: KeyValueStorage, credential: Credential): void {
  storage.setItem(CREDENTIAL_STORAGE_KEY, JSON.stringify(credential));
}

export function clearCredential(storage: KeyValueStorage): void {
  storage.removeItem(CREDENTIAL_STORAGE_KEY);
}

/** The headers' credential for the typed client. */
export const clientCredentials = (credential: Credential): { token?: string; apiKey?: string } =>
  credential.kind === 'token' ? { token: credential.value } : { apiKey: credential.value };
