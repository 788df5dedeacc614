import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Secrets the gateway hands out once and then only recognises: user API keys, session tokens and
 * live-events tickets. 32 random bytes make guessing hopeless, so a plain SHA-256 (not a slow hash) is enough to store
 * them; the kind prefix tells them apart (and lets secret scanners spot leaked ones).
 */
const SECRET_TOKEN_PREFIXES = { apiKey: 'wgk_', sessionToken: 'wgs_', eventTicket: 'wgt_' } as const;
export type SecretTokenKind = keyof typeof SECRET_TOKEN_PREFIXES;

/** How many leading characters of a secret are kept to tell keys apart in lists. */
const DISPLAY_PREFIX_LENGTH = 12;

export interface IssuedSecret {
  /** Shown to the caller once, never stored. */
  secret: string;
  displayPrefix: string;
  hash: string;
}

export const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

export function issueSecret(kind: SecretTokenKind): IssuedSecret {
  const secret = `${SECRET_TOKEN_PREFIXES[kind]}${randomBytes(32).toString('base64url')}`;
  return { secret, displayPrefix: secret.slice(0, DISPLAY_PREFIX_LENGTH), hash: hashSecret(secret) };
}

export const looksLike = (kind: SecretTokenKind, secret: string): boolean => secret.startsWith(SECRET_TOKEN_PREFIXES[kind]);

/** Constant-time equality that also hides the expected secret's length (both sides are hashed first). */
export function secretsEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(createHash('sha256').update(presented).digest(), createHash('sha256').update(expected).digest());
}
