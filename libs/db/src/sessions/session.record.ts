import type { SessionStatus } from '@app/contracts';

/** A session as the rest of the suite sees it (never a Prisma type). */
export interface SessionRecord {
  id: string;
  /** The owning gateway user (tenancy). */
  userId: string;
  /** Seed 003's `userId`: the caller's identifier of its end user; keys the `api_keys` lookup. */
  clientUserId: string;
  name: string;
  status: SessionStatus;
  phone: string | null;
  ownerWorkerId: string | null;
  autoConnect: boolean;
  lastError: string | null;
  aiEndpointUrl: string | null;
  /** Sealed (SecretBox) session api key: the agent-route token and the AI backend credential. */
  aiApiKeyCipher: string | null;
  aiEnabled: boolean;
  webhookUrl: string | null;
  webhookEvents: string[];
  lastConnectedAt: Date | null;
  lastDisconnectedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface SessionFilter {
  /** Owner. */
  userId?: string;
  clientUserId?: string;
  status?: SessionStatus;
}

export interface NewSession {
  id: string;
  userId: string;
  /** Kept as it is on an existing session when absent; the owner's id for a new one. */
  clientUserId?: string;
  name: string;
  aiEndpointUrl?: string | null;
  aiApiKeyCipher?: string | null;
}

/** Fields a status transition may set alongside the status. */
export interface StatusChange {
  status: SessionStatus;
  phone?: string | null;
  ownerWorkerId?: string | null;
  lastError?: string | null;
  autoConnect?: boolean;
  lastConnectedAt?: Date;
  lastDisconnectedAt?: Date;
}

export interface StatusTransition {
  previous: SessionStatus;
  userId: string;
}
