import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { isIP, isIPv4 } from 'node:net';
import {
  bitString,
  boolean,
  explicit,
  implicitPrimitive,
  octetString,
  oid,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from './der.encoder';

/** A key pair and the certificate for its public half. */
export interface IssuedCertificate {
  privateKey: KeyObject;
  certificate: X509Certificate;
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

const KEY_USAGE = { digitalSignature: 0x80, keyCertSign: 0x04, cRLSign: 0x02 };
const DAY_MS = 86_400_000;

/** A self-signed ECDSA P-256 CA, valid `years` from yesterday (tolerates small clock skew). */
export function createCertificateAuthority(commonName: string, years = 10): IssuedCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const subject = name(commonName);
  const keyId = keyIdentifier(spki);
  const certificate = signCertificate(privateKey, {
    issuer: subject,
    subject,
    spki,
    validForMs: years * 365 * DAY_MS,
    extensions: [
      extension(OID.basicConstraints, true, sequence(boolean(true))),
      extension(OID.keyUsage, true, keyUsage(KEY_USAGE.keyCertSign | KEY_USAGE.cRLSign)),
      extension(OID.subjectKeyIdentifier, false, octetString(keyId)),
    ],
  });
  return { privateKey, certificate };
}

/** A TLS server certificate for the given DNS names and IP addresses, signed by the CA. */
export function issueServerCertificate(ca: IssuedCertificate, names: string[], days = 365): IssuedCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const caSpki = ca.certificate.publicKey.export({ type: 'spki', format: 'der' });
  const certificate = signCertificate(ca.privateKey, {
    issuer: nameOf(ca.certificate),
    subject: name(names[0] ?? 'wa-sim media'),
    spki,
    validForMs: days * DAY_MS,
    extensions: [
      extension(OID.basicConstraints, true, sequence()),
      extension(OID.keyUsage, true, keyUsage(KEY_USAGE.digitalSignature)),
      extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth))),
      extension(OID.subjectAltName, false, sequence(...names.map(altName))),
      extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(spki))),
      extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, keyIdentifier(caSpki)))),
    ],
  });
  return { privateKey, certificate };
}

interface CertificateFields {
  issuer: Buffer;
  subject: Buffer;
  spki: Buffer;
  validForMs: number;
  extensions: Buffer[];
}

function signCertificate(signer: KeyObject, fields: CertificateFields): X509Certificate {
  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const notBefore = new Date(Date.now() - DAY_MS);
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    unsignedInteger(serial),
    algorithm,
    fields.issuer,
    sequence(time(notBefore), time(new Date(notBefore.getTime() + fields.validForMs))),
    fields.subject,
    fields.spki,
    explicit(3, sequence(...fields.extensions)),
  );
  // node's ECDSA signatures are DER `Ecdsa-Sig-Value`, exactly what X.509 carries.
  const signature = sign('sha256', tbs, signer);
  return new X509Certificate(sequence(tbs, algorithm, bitString(signature)));
}

const name = (commonName: string): Buffer =>
  sequence(set(sequence(oid(OID.organization), utf8String('wa-sim'))), set(sequence(oid(OID.commonName), utf8String(commonName))));

/** The CA's subject exactly as encoded in its certificate, so chain building matches byte for byte. */
function nameOf(certificate: X509Certificate): Buffer {
  // Certificate → TBSCertificate → [version, serial, algorithm, issuer, validity, subject, …]
  const tbs = elementsOf(certificate.raw)[0];
  return elementsOf(tbs)[5];
}

/** The elements inside a constructed DER element (definite lengths only, as DER requires). */
function elementsOf(der: Buffer): Buffer[] {
  const outer = header(der, 0);
  const elements: Buffer[] = [];
  for (let cursor = outer.headerLength; cursor < outer.headerLength + outer.length;) {
    const inner = header(der, cursor);
    elements.push(der.subarray(cursor, cursor + inner.headerLength + inner.length));
    cursor += inner.headerLength + inner.length;
  }
  return elements;
}

function header(der: Buffer, offset: number): { headerLength: number; length: number } {
  const first = der[offset + 1];
  if (first < 0x80) return { headerLength: 2, length: first };
  const count = first & 0x7f;
  return { headerLength: 2 + count, length: der.readUIntBE(offset + 2, count) };
}

const extension = (id: string, critical: boolean, value: Buffer): Buffer => sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));

/** KeyUsage flags in the first byte; DER drops trailing zero bits. */
function keyUsage(flags: number): Buffer {
  let unused = 0;
  while (unused < 7 && !(flags & (1 << unused))) unused++;
  return bitString(Buffer.from([flags]), unused);
}

const keyIdentifier = (spki: Buffer): Buffer => createHash('sha1').update(spki).digest();

function altName(value: string): Buffer {
  if (!isIP(value)) return implicitPrimitive(2, Buffer.from(value, 'ascii'));
  return implicitPrimitive(7, isIPv4(value) ? Buffer.from(value.split('.').map(Number)) : ipv6Bytes(value));
}

function ipv6Bytes(address: string): Buffer {
  if (address.includes('.')) throw new Error(`IPv4-in-IPv6 address ${address} is not supported in a certificate`);
  const [head = '', tail] = address.split('::');
  const groups = (part: string): string[] => (part ? part.split(':') : []);
  const headGroups = groups(head);
  const tailGroups = tail === undefined ? [] : groups(tail);
  const all = [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  const bytes = Buffer.alloc(16);
  all.forEach((group, index) => bytes.writeUInt16BE(parseInt(group, 16), index * 2));
  return bytes;
}
