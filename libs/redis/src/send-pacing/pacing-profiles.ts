import type { SendingConfig } from '@app/config';
import { PACING_PROFILE_FIELDS, SEND_ORIGINS, type PacingOverrides, type PacingProfile, type SendOrigin } from '@app/contracts';

export type PacingProfiles = Record<SendOrigin, PacingProfile>;

/**
 * The configured profiles: single sends keep seed 003's token bucket (SEND_*), bulk job items and
 * scheduled messages get seed 001's anti-spam queue (BULK_SEND_*).
 */
export function configuredPacing(config: SendingConfig): PacingProfiles {
  return {
    single: {
      ratePerMinute: config.SEND_RATE_PER_MINUTE,
      burst: config.SEND_BURST,
      delayMinMs: config.SEND_DELAY_MIN_MS,
      delayMaxMs: config.SEND_DELAY_MAX_MS,
      maxPerMinute: config.SEND_MAX_PER_MINUTE,
      maxPerHour: config.SEND_MAX_PER_HOUR,
      maxPerRecipientPerHour: config.SEND_MAX_PER_RECIPIENT_PER_HOUR,
      maxAttempts: config.MAX_SEND_ATTEMPTS,
    },
    bulk: {
      ratePerMinute: config.BULK_SEND_RATE_PER_MINUTE,
      burst: config.BULK_SEND_BURST,
      delayMinMs: config.BULK_SEND_DELAY_MIN_MS,
      delayMaxMs: config.BULK_SEND_DELAY_MAX_MS,
      maxPerMinute: config.BULK_SEND_MAX_PER_MINUTE,
      maxPerHour: config.BULK_SEND_MAX_PER_HOUR,
      maxPerRecipientPerHour: config.BULK_SEND_MAX_PER_RECIPIENT_PER_HOUR,
      maxAttempts: config.BULK_MAX_SEND_ATTEMPTS,
    },
  };
}

/** A session's effective profiles: its overrides over the configured ones, field by field. */
export function effectivePacing(config: SendingConfig, overrides: PacingOverrides): PacingProfiles {
  const configured = configuredPacing(config);
  const merged = {} as PacingProfiles;
  for (const origin of SEND_ORIGINS) {
    const own = overrides[origin] ?? {};
    const profile = { ...configured[origin] };
    for (const field of PACING_PROFILE_FIELDS) {
      const value = own[field];
      if (typeof value === 'number') profile[field] = value;
    }
    // An override of one bound must not leave the other on the wrong side of it.
    profile.delayMaxMs = Math.max(profile.delayMaxMs, profile.delayMinMs);
    profile.burst = Math.max(1, profile.burst);
    profile.maxAttempts = Math.max(1, profile.maxAttempts);
    merged[origin] = profile;
  }
  return merged;
}
