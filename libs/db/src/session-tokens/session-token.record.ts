import type { IssuedCredentialRecord, NewIssuedCredential } from '../issued-credentials/issued-credential.record';

/** A session-bound Bearer token as stored: the hash is looked up, never returned. */
export interface SessionTokenRecord extends IssuedCredentialRecord {
  sessionId: string;
}

/** A token for the session `ownerId`. */
export type NewSessionToken = NewIssuedCredential;
