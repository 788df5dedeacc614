import type { AuthenticatedRequest } from '../credentials/authenticated-request';
import { clientIp } from './client-ip';

/**
 * Whose budget a request spends (seed 000 "per key or IP"): the API key or session token used,
 * else the user, else the IP for anonymous calls.
 */
export function clientTracker(request: AuthenticatedRequest): string {
  const principal = request.principal;
  if (!principal) return `ip:${clientIp(request)}`;
  if (principal.credentialId) return `${principal.via}:${principal.credentialId}`;
  if (principal.via === 'session-token') return `session:${principal.sessionId}`;
  return principal.userId ? `user:${principal.userId}` : principal.via;
}

/** Login attempts are counted per email and IP, so guessing one account's password is slow. */
export function loginTracker(request: AuthenticatedRequest): string {
  const email: unknown = (request.body as { email?: unknown } | undefined)?.email;
  return `login:${clientIp(request)}:${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
}
