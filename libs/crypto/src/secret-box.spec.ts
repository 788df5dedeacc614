import { randomBytes } from 'node:crypto';
import { signPayload, verifySignature } from './hmac-signature';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32).toString('hex'));

  it('opens what it sealed, and never stores the plaintext', () => {
    const sealed = box.seal('sk-live-secret');
    expect(sealed).not.toContain('sk-live-secret');
    expect(box.open(sealed)).toBe('sk-live-secret');
  });

  it('seals the same secret differently each time', () => {
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('refuses a tampered ciphertext', () => {
    const [version, iv, tag, data] = box.seal('secret').split('.');
    const flipped = Buffer.from(data, 'base64url');
    flipped[0] = flipped[0] ^ 1;
    expect(() => box.open([version, iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
  });

  it('refuses a ciphertext sealed with another key', () => {
    const other = new SecretBox(randomBytes(32).toString('hex'));
    expect(() => box.open(other.seal('secret'))).toThrow();
  });

  it('needs a 32-byte key', () => {
    expect(() => new SecretBox('abcd')).toThrow(/32-byte/);
  });
});

describe('webhook signatures', () => {
  it('verifies its own signature and rejects a changed body or secret', () => {
    const header = signPayload('whsec', '{"a":1}', 1_700_000_000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature('whsec', '{"a":1}', header)).toBe(true);
    expect(verifySignature('whsec', '{"a":2}', header)).toBe(false);
    expect(verifySignature('other', '{"a":1}', header)).toBe(false);
  });
});
