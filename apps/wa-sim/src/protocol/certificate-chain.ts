import { Curve, proto } from '@whiskeysockets/baileys';
import type { KeyPair } from '../persistence/key-codec';

const INTERMEDIATE_SERIAL = 1;
const LEAF_SERIAL = 2;
const TEN_YEARS_S = 10 * 365 * 24 * 3600;

/**
 * The `CertChain` the server sends inside serverHello. Baileys checks the intermediate against its
 * trusted root key (issuerSerial 0) and the leaf against the intermediate's key.
 */
export function buildCertificateChain(root: KeyPair, intermediate: KeyPair, serverStatic: KeyPair): Uint8Array {
  const now = Math.floor(Date.now() / 1000);
  const validity = { notBefore: now - 3600, notAfter: now + TEN_YEARS_S };
  const intermediateDetails = proto.CertChain.NoiseCertificate.Details.encode({
    serial: INTERMEDIATE_SERIAL,
    issuerSerial: 0,
    key: intermediate.public,
    ...validity,
  }).finish();
  const leafDetails = proto.CertChain.NoiseCertificate.Details.encode({
    serial: LEAF_SERIAL,
    issuerSerial: INTERMEDIATE_SERIAL,
    key: serverStatic.public,
    ...validity,
  }).finish();
  return proto.CertChain.encode({
    intermediate: { details: intermediateDetails, signature: Curve.sign(root.private, intermediateDetails) },
    leaf: { details: leafDetails, signature: Curve.sign(intermediate.private, leafDetails) },
  }).finish();
}
