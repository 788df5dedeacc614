import { createHmac, createPrivateKey, randomBytes, timingSafeEqual, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { SimStateStore } from '../persistence/sim-state-store';
import { MEDIA_FOLDER } from './media.options';
import { createCertificateAuthority, issueServerCertificate, type IssuedCertificate } from './x509.builder';

interface StoredMediaIdentity {
  caPrivateKey: string;
  caCertificate: string;
  tokenSecret: string;
}

const KEY = `${MEDIA_FOLDER}/identity`;

/**
 * The media host's trust material, created once and persisted in the state directory: a CA
 * (its PEM is what clients put in NODE_EXTRA_CA_CERTS, so it must stay stable across restarts)
 * and the secret behind `media_conn` auth tokens (so tokens Baileys cached stay valid too).
 * The server certificate is re-issued from the CA at every start.
 */
@Injectable()
export class MediaIdentityService {
  private readonly ca: IssuedCertificate;
  /** Absolute path of the CA certificate (PEM), for NODE_EXTRA_CA_CERTS. */
  readonly caCertificatePath: string;
  private readonly tokenSecret: Buffer;

  constructor(state: SimStateStore) {
    const stored = state.files.read<StoredMediaIdentity>(KEY) ?? this.create(state);
    this.ca = { privateKey: createPrivateKey(stored.caPrivateKey), certificate: new X509Certificate(stored.caCertificate) };
    this.tokenSecret = Buffer.from(stored.tokenSecret, 'base64');
    this.caCertificatePath = resolve(state.files.directory, MEDIA_FOLDER, 'ca.pem');
    writeIfChanged(this.caCertificatePath, this.caCertificatePem);
  }

  get caCertificatePem(): string {
    return this.ca.certificate.toString();
  }

  /** A fresh key and certificate for the media host, valid for these names and addresses. */
  serverCertificate(names: string[]): { key: string; cert: string } {
    const issued = issueServerCertificate(this.ca, names);
    return { key: issued.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), cert: issued.certificate.toString() };
  }

  /** An opaque upload token: expiry (unix s) and its HMAC, so checking it needs no stored state. */
  issueAuthToken(validForSeconds: number): string {
    const expiry = Buffer.alloc(4);
    expiry.writeUInt32BE(Math.floor(Date.now() / 1000) + validForSeconds);
    return Buffer.concat([expiry, this.tag(expiry)]).toString('base64url');
  }

  verifyAuthToken(token: string): boolean {
    const bytes = Buffer.from(token, 'base64url');
    if (bytes.length !== 20) return false;
    const expiry = bytes.subarray(0, 4);
    return timingSafeEqual(bytes.subarray(4), this.tag(expiry)) && expiry.readUInt32BE() >= Date.now() / 1000;
  }

  private tag(expiry: Buffer): Buffer {
    return createHmac('sha256', this.tokenSecret).update(expiry).digest().subarray(0, 16);
  }

  private create(state: SimStateStore): StoredMediaIdentity {
    const ca = createCertificateAuthority('wa-sim media CA');
    const identity = {
      caPrivateKey: ca.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      caCertificate: ca.certificate.toString(),
      tokenSecret: randomBytes(32).toString('base64'),
    };
    state.files.writeNow(KEY, identity);
    return identity;
  }
}

/** Rewrites the PEM only when it differs, atomically, so a process reading it never sees half a file. */
function writeIfChanged(path: string, content: string): void {
  try {
    if (readFileSync(path, 'utf8') === content) return;
  } catch {
    // missing: written below
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, content);
  renameSync(`${path}.tmp`, path);
}
