import { clearCredential, clientCredentials, CREDENTIAL_STORAGE_KEY, readCredential, saveCredential } from './credential.store';

/** sessionStorage's behaviour for the three calls the store makes. */
class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

describe('the stored credential', () => {
  it('keeps exactly one entry, the credential, and forgets it on sign-out', () => {
    const storage = new MemoryStorage();
    expect(readCredential(storage)).toBeNull();
    saveCredential(storage, { kind: 'token', value: 'jwt-1' });
    expect([...storage.items.keys()]).toEqual([CREDENTIAL_STORAGE_KEY]);
    expect(readCredential(storage)).toEqual({ kind: 'token', value: 'jwt-1' });
    clearCredential(storage);
    expect(storage.items.size).toBe(0);
  });

  it('treats damaged or foreign entries as signed out', () => {
    const storage = new MemoryStorage();
    for (const stored of ['not json', '{"kind":"cookie","value":"x"}', '{"kind":"token","value":""}', 'null']) {
      storage.setItem(CREDENTIAL_STORAGE_KEY, stored);
      expect(readCredential(storage)).toBeNull();
    }
  });

  it('sends a token as Bearer and a key as x-api-key', () => {
    expect(clientCredentials({ kind: 'token', value: 'jwt-1' })).toEqual({ token: 'jwt-1' });
    expect(clientCredentials({ kind: 'apiKey', value: 'wgk_1' })).toEqual({ apiKey: 'wgk_1' });
  });
});
