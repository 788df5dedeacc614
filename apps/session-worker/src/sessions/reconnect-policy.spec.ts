import { reconnectDelayMs, withStorageRetries } from './reconnect-policy';

describe('reconnect policy', () => {
  it('doubles the delay per attempt up to the cap, half of it random', () => {
    expect([1, 2, 3, 10].map((attempt) => reconnectDelayMs(attempt, 1_000, 8_000, () => 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect(reconnectDelayMs(3, 1_000, 8_000, () => 1)).toBe(4_000);
  });

  it('retries a failing storage call until it succeeds, and gives up after the last attempt', async () => {
    let calls = 0;
    const flaky = async () => {
      calls += 1;
      if (calls < 3) throw new Error('Unable to start a transaction in the given time');
      return 'recorded';
    };
    await expect(withStorageRetries(flaky, 5, 1)).resolves.toBe('recorded');
    expect(calls).toBe(3);

    calls = 0;
    const broken = async () => {
      calls += 1;
      throw new Error('down');
    };
    await expect(withStorageRetries(broken, 3, 1)).rejects.toThrow('down');
    expect(calls).toBe(3);
  });
});
