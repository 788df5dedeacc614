/** A user's API key as stored: the hash is looked up, never returned. */
export interface UserApiKeyRecord {
  id: string;
  userId: string;
  name: string;
  /** The key's first characters, shown in lists so a user can tell keys apart. */
  prefix: string;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export interface NewUserApiKey {
  userId: string;
  name: string;
  prefix: string;
  keyHash: string;
  expiresAt: Date | null;
}
