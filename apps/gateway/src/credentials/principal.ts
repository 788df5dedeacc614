import type { UserRole } from '@app/contracts';

/** How the caller proved who they are. */
export type CredentialKind = 'jwt' | 'api-key' | 'admin-key' | 'session-token';

/**
 * The authenticated caller of a request, set by the authentication guard. `userId` is null only
 * for the bootstrap ADMIN_API_KEY; `sessionId` is set only for session tokens, which act on that
 * one session and nothing else (their role is the owner's, capped at `user`). `credentialId` names
 * the API key or session token used, so rate limits and audits can tell a user's keys apart.
 */
export interface Principal {
  via: CredentialKind;
  userId: string | null;
  role: UserRole;
  sessionId?: string;
  credentialId?: string;
}

export const isAdmin = (principal: Principal): boolean => principal.role === 'admin';

/** Whether the caller may act on a session owned by `ownerUserId`. */
export function canAccessSession(principal: Principal, sessionId: string, ownerUserId: string): boolean {
  if (principal.via === 'session-token') return principal.sessionId === sessionId;
  return isAdmin(principal) || principal.userId === ownerUserId;
}

/** Whether the caller may act on the user account `userId` (their own, or any for an admin). */
export function canAccessUser(principal: Principal, userId: string): boolean {
  return principal.via !== 'session-token' && (isAdmin(principal) || principal.userId === userId);
}
