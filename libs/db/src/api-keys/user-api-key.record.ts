import type { IssuedCredentialRecord, NewIssuedCredential } from '../issued-credentials/issued-credential.record';

/** A user's API key as stored: the hash is looked up, never returned. */
export interface UserApiKeyRecord extends IssuedCredentialRecord {
  userId: string;
  expiresAt: Date | null;
}

/** A key for the user `ownerId`. */
export interface NewUserApiKey extends NewIssuedCredential {
  expiresAt: Date | null;
}
