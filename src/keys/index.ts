/**
 * Keys and certificates for the JWT Bearer Flow: generate (native RSA, self-signed SHA-256 certificate),
 * write safely, load and explain what is wrong with a key or certificate, and check a pair belongs together.
 * UI-free: every problem is a UserError with a knowledge-base code (key_*, cert_*).
 */
export { DEFAULT_SUBJECT, formatSubject, parseSubject, SUBJECT_FIELDS, validateSubject, type CertificateSubject, type SubjectField } from './subject.js';
export {
  createSelfSignedCertificate,
  DEFAULT_DAYS,
  generateKeyAndCertificate,
  MAX_CERTIFICATE_BYTES,
  MAX_DAYS,
  type CertificateOptions,
  type GenerateOptions,
  type GeneratedKeyPair,
} from './generate.js';
export { certificatePathBeside } from './defaults.js';
export { checkPairWritable } from './existing.js';
export { writeKeyAndCertificate, type WriteKeyPairOptions, type WrittenKeyPair } from './write.js';
export { checkKeyStrength, loadPrivateKey, MIN_RSA_BITS, type LoadedPrivateKey, type LoadPrivateKeyInput } from './load-key.js';
export { describeCertificateKey, loadCertificate, type LoadCertificateInput, type LoadedCertificate } from './load-certificate.js';
export { keyMatchesCertificate } from './match.js';
export { normalizePemText, publicKeyFingerprint } from './pem.js';
export { createRotationPair, type RotationOptions } from './rotate.js';
