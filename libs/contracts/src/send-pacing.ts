/**
 * Where an accepted message came from, as far as pacing is concerned: `single` for a send route,
 * an AI reply or an alert (seed 003's token bucket), `bulk` for a bulk job item or a scheduled
 * message (seed 001's anti-spam queue). Stored in `sessions.pacing`: never rename.
 */
export const SEND_ORIGINS = ['single', 'bulk'] as const;
export type SendOrigin = (typeof SEND_ORIGINS)[number];

/** A message's origin: outbox rows (and drafts) of a bulk job or a schedule carry its id. */
export const sendOriginOf = (message: { jobId?: string | null; scheduleId?: string | null }): SendOrigin =>
  (message.jobId ?? null) !== null || (message.scheduleId ?? null) !== null ? 'bulk' : 'single';

/** How the sends of one origin of one session are paced. Every limit is off at 0. */
export interface PacingProfile {
  /** Token bucket refill per minute (0 = no bucket). */
  ratePerMinute: number;
  /** Token bucket size: sends allowed back to back after a quiet period. */
  burst: number;
  /** Random pause after the session's previous send, lower and upper bound in ms. */
  delayMinMs: number;
  delayMaxMs: number;
  /** Sends in any 60 s window. */
  maxPerMinute: number;
  /** Sends in any hour. */
  maxPerHour: number;
  /** Sends to one recipient in any hour. */
  maxPerRecipientPerHour: number;
  /** Attempts per message, the first included, before it is marked failed. */
  maxAttempts: number;
}

export const PACING_PROFILE_FIELDS = [
  'ratePerMinute',
  'burst',
  'delayMinMs',
  'delayMaxMs',
  'maxPerMinute',
  'maxPerHour',
  'maxPerRecipientPerHour',
  'maxAttempts',
] as const satisfies readonly (keyof PacingProfile)[];

/** A session's own settings (`PUT /sessions/{id}/pacing`); an absent field takes the configured value. */
export type PacingOverrides = Partial<Record<SendOrigin, Partial<PacingProfile>>>;

/** Whether a profile limits anything; an unpaced send needs no permit at all. */
export const isPaced = (profile: PacingProfile): boolean =>
  profile.ratePerMinute > 0 || profile.delayMaxMs > 0 || profile.maxPerMinute > 0 || profile.maxPerHour > 0 || profile.maxPerRecipientPerHour > 0;
