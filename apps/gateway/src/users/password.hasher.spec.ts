import { PasswordHasher } from './password.hasher';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('stores scrypt with its cost parameters and a per-password salt, never the password', async () => {
    const first = await hasher.hash('correct horse battery staple');
    const second = await hasher.hash('correct horse battery staple');
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{86}$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('horse');
  });

  it('verifies the right password only', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    await expect(hasher.verify('correct horse battery staple', stored)).resolves.toBe(true);
    await expect(hasher.verify('correct horse battery stapler', stored)).resolves.toBe(false);
    await expect(hasher.verify('', stored)).resolves.toBe(false);
  });

  it('keeps verifying hashes made with other cost parameters', async () => {
    const [scheme, , , , salt] = (await hasher.hash('x')).split('$');
    const { scryptSync } = await import('node:crypto');
    const key = scryptSync('old password', Buffer.from(salt, 'base64url'), 64, { N: 1024, r: 8, p: 1 }).toString('base64url');
    await expect(hasher.verify('old password', [scheme, 1024, 8, 1, salt, key].join('$'))).resolves.toBe(true);
  });

  it('refuses malformed hashes instead of throwing', async () => {
    await expect(hasher.verify('x', 'not-a-hash')).resolves.toBe(false);
    await expect(hasher.verify('x', 'scrypt$abc$8$1$c2FsdA$aGFzaA')).resolves.toBe(false);
  });

  it('spends verification time on unknown accounts and fails', async () => {
    const started = Date.now();
    await expect(hasher.verifyNothing('whatever')).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThan(5);
  });
});
