import { withinDeadline } from './within-deadline';

describe('withinDeadline', () => {
  const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

  it('gives the result of work that finishes in time', async () => {
    await expect(withinDeadline(after(10, 7), 1_000)).resolves.toBe(7);
  });

  it('stops waiting at the deadline and gives undefined', async () => {
    const started = Date.now();
    const never = new Promise<number>(() => undefined);
    await expect(withinDeadline(never, 50)).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('passes on a failure of the work', async () => {
    await expect(withinDeadline(Promise.reject(new Error('release failed')), 1_000)).rejects.toThrow('release failed');
  });
});
