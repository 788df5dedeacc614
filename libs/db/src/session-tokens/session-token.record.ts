/** A session-bound Bearer token as stored: the hash is looked up, never returned. */
export interface SessionTokenRecord {
  id: string;
  sessionId: string;
  name: string;
  /** The token's first characters, shown in lists so tokens can be told apart. */
  prefix: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export interface NewSessionToken {
  sessionId: string;
  name: string;
  prefix: string;
  tokenHash: string;
}
