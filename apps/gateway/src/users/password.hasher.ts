import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { Injectable } from '@nestjs/common';

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * scrypt with N=2^15, r=8, p=1 (32 MiB, ~50-100 ms per hash): OWASP's recommended minimum. The
 * parameters are stored with each hash, so raising them later keeps old passwords verifiable.
 */
const CURRENT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 64;
const SALT_BYTES = 16;
const SCHEME = 'scrypt';

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; allow twice that so Node's default 32 MiB cap does not refuse it.
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFKC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** Slow, salted password hashes: `scrypt$N$r$p$<salt>$<hash>` (base64url). */
@Injectable()
export class PasswordHasher {
  /** Verified against when the account does not exist, so a login takes as long either way. */
  private readonly decoy: Promise<string> = this.hash(randomBytes(16).toString('hex'));

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await derive(password, salt, CURRENT);
    return [SCHEME, CURRENT.N, CURRENT.r, CURRENT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, N, r, p, salt, expected] = stored.split('$');
    if (scheme !== SCHEME || !salt || !expected) return false;
    const params = { N: Number(N), r: Number(r), p: Number(p) };
    if (![params.N, params.r, params.p].every(Number.isSafeInteger)) return false;
    const key = await derive(password, Buffer.from(salt, 'base64url'), params);
    const wanted = Buffer.from(expected, 'base64url');
    return key.length === wanted.length && timingSafeEqual(key, wanted);
  }

  /** Spends the time of a real verification and fails: for logins with an unknown email. */
  async verifyNothing(password: string): Promise<false> {
    await this.verify(password, await this.decoy);
    return false;
  }
}
