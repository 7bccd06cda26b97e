import type { LoadedCertificate } from './load-certificate.js';
import type { LoadedPrivateKey } from './load-key.js';

/**
 * Whether the private key belongs to the certificate: their public keys (for RSA: modulus and exponent) are
 * the same. When they are not, Salesforce verifies the JWT's signature with the uploaded certificate and
 * answers `invalid_grant: invalid assertion` (the seed guide's "invalid signature").
 *
 * Compares the SHA-256 of both SubjectPublicKeyInfo encodings (both produced by OpenSSL, so canonical) and
 * confirms with OpenSSL's own X509_check_private_key.
 */
export function keyMatchesCertificate(key: LoadedPrivateKey, cert: LoadedCertificate): boolean {
  if (key.publicKeyFingerprint !== cert.publicKeyFingerprint) return false;
  try {
    return cert.x509.checkPrivateKey(key.keyObject);
  } catch {
    return false;
  }
}
