/**
 * What every credential the gateway issues (user API keys, session tokens) has in store. The
 * secret itself is never stored; its hash is looked up and never returned.
 */
export interface IssuedCredentialRecord {
  id: string;
  name: string;
  /** The secret's first characters, shown in lists so credentials can be told apart. */
  prefix: string;
  lastUsedAt: Date | null;
  /** Only on kinds that can expire (API keys); null there means never. */
  expiresAt?: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

/** A credential to store, without its secret: the owner is a user or a session, by kind. */
export interface NewIssuedCredential {
  ownerId: string;
  name: string;
}

/** The secret as stored: its display prefix and its hash. */
export interface StoredSecret {
  prefix: string;
  hash: string;
}
