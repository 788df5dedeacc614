import { loadConfig, SendingConfig } from '@app/config';
import { sendRetryDelayMs } from './send-retry.policy';

const env = { DATABASE_URL: 'postgresql://x', ENCRYPTION_KEY: 'a'.repeat(64) };

describe('send retries', () => {
  const config = loadConfig(SendingConfig, { ...env, SEND_RETRY_BASE_MS: '1000', SEND_RETRY_MAX_MS: '5000' });

  it('doubles the delay per failure up to the cap, within ±20 % jitter', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5].map((attempts) => sendRetryDelayMs(attempts, config, middle))).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(sendRetryDelayMs(1, config, () => 0)).toBe(800);
    expect(sendRetryDelayMs(1, config, () => 0.999_999)).toBe(1200);
  });

  it('refuses settings whose maximum is below their minimum, naming the variable', () => {
    expect(() => loadConfig(SendingConfig, { ...env, SEND_RETRY_BASE_MS: '5000', SEND_RETRY_MAX_MS: '1000' })).toThrow(
      'SEND_RETRY_MAX_MS: must not be below SEND_RETRY_BASE_MS',
    );
    expect(() => loadConfig(SendingConfig, { ...env, SEND_DELAY_MIN_MS: '7000', SEND_DELAY_MAX_MS: '3000' })).toThrow(
      'SEND_DELAY_MAX_MS: must not be below SEND_DELAY_MIN_MS',
    );
    expect(loadConfig(SendingConfig, { ...env, SEND_DELAY_MIN_MS: '3000', SEND_DELAY_MAX_MS: '7000' }).SEND_DELAY_MAX_MS).toBe(7000);
  });
});
