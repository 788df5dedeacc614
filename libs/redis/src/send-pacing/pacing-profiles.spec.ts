import { loadConfig, SendingConfig } from '@app/config';
import { configuredPacing, effectivePacing } from './pacing-profiles';

const env = { DATABASE_URL: 'postgresql://x', ENCRYPTION_KEY: 'a'.repeat(64) };

describe('pacing profiles', () => {
  it("default to seed 003's token bucket for single sends and seed 001's anti-spam queue for bulk jobs and schedules", () => {
    expect(configuredPacing(loadConfig(SendingConfig, env))).toEqual({
      single: { ratePerMinute: 100, burst: 100, delayMinMs: 0, delayMaxMs: 0, maxPerMinute: 0, maxPerHour: 0, maxPerRecipientPerHour: 0, maxAttempts: 3 },
      bulk: { ratePerMinute: 0, burst: 1, delayMinMs: 3_000, delayMaxMs: 7_000, maxPerMinute: 20, maxPerHour: 500, maxPerRecipientPerHour: 10, maxAttempts: 3 },
    });
  });

  it('take each origin from its own settings', () => {
    const config = loadConfig(SendingConfig, { ...env, SEND_MAX_PER_MINUTE: '30', BULK_SEND_MAX_PER_HOUR: '100', BULK_MAX_SEND_ATTEMPTS: '5' });
    const profiles = configuredPacing(config);
    expect(profiles.single).toMatchObject({ maxPerMinute: 30, maxPerHour: 0, maxAttempts: 3 });
    expect(profiles.bulk).toMatchObject({ maxPerMinute: 20, maxPerHour: 100, maxAttempts: 5 });
  });

  it("lay a session's settings over the configured ones field by field, keeping the bounds in order", () => {
    const config = loadConfig(SendingConfig, env);
    const profiles = effectivePacing(config, { bulk: { delayMinMs: 9_000, maxPerMinute: 5 }, single: {} });
    expect(profiles.bulk).toMatchObject({ delayMinMs: 9_000, delayMaxMs: 9_000, maxPerMinute: 5, maxPerHour: 500 });
    expect(profiles.single).toEqual(configuredPacing(config).single);
  });
});
