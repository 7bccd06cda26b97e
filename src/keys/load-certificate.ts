import { X509Certificate, type KeyObject } from 'node:crypto';
import { UserError } from '../errors.js';
import { readCertificateDer, SHA256_SIGNATURE_OIDS, SIGNATURE_ALGORITHMS } from './der.js';
import { describeKeyType, identifyDer, looksBinary, normalizePemText, PRIVATE_KEY_LABELS, publicKeyFingerprint, scanPem } from './pem.js';
import { readInputFile } from './read.js';

/** A parsed X.509 certificate and the facts the doctor and the wizard check. */
export interface LoadedCertificate {
  /** The certificate as PEM (LF), also when it was read as DER. */
  pem: string;
  x509: X509Certificate;
  /** One line, `C=US, ST=California, ..., CN=acme.com` (commas in values escaped as `\,`). */
  subject: string;
  issuer: string;
  /** Issuer equals subject and the signature verifies with the certificate's own key (what Salesforce expects). */
  selfSigned: boolean;
  notBefore: Date;
  notAfter: Date;
  /**
   * Days until notAfter, a started day counting as whole: 365 right after making a 365-day certificate, 1 on
   * its last day, negative once expired (-1 during the first day after). So expired is daysLeft < 0.
   */
  daysLeft: number;
  /** notAfter has passed. */
  expired: boolean;
  /** notBefore is still in the future. */
  notYetValid: boolean;
  /** SHA-256 of the certificate DER, `AB:CD:...` (what openssl x509 -fingerprint -sha256 prints). */
  fingerprint256: string;
  /** openssl's name, e.g. `sha256WithRSAEncryption`; the OID when unknown. */
  signatureAlgorithm: string;
  signatureAlgorithmOid: string;
  /** The signature's hash is SHA-256 (Salesforce's requirement, with an RSA key). */
  sha256Signed: boolean;
  /** RSA modulus size; null for other key types. */
  bits: number | null;
  /** Node's asymmetricKeyType of the public key: `rsa`, `ec`, `ed25519`, `rsa-pss`, ... */
  publicKeyType: string;
  /** SHA-256 of the public key's SubjectPublicKeyInfo DER; equals LoadedPrivateKey.publicKeyFingerprint for the matching key. */
  publicKeyFingerprint: string;
  /** Serial number, upper-case hex. */
  serialNumber: string;
  /** Size of the file or data as given: Salesforce refuses uploads over 4 KB. */
  sizeBytes: number;
  /** How it was stored. */
  format: 'pem' | 'der';
  path?: string;
}

export interface LoadCertificateInput {
  /** A certificate file (PEM or DER). */
  path?: string;
  /** Certificate content (PEM text, or DER bytes); used when path is not given. */
  data?: string | Buffer;
}

const DAY_MS = 86_400_000;
const NEED = 'the app needs an X.509 certificate (-----BEGIN CERTIFICATE-----, or DER)';
const FIX = 'point certificatePath at the .crt uploaded to the app, or make a new pair: `sf-setup keygen --force` and upload its certificate';

/**
 * Load an X.509 certificate from a file or data, PEM or DER (detected). Throws UserError `cert_missing`
 * (no file) or `cert_invalid` (empty, garbage, a key instead of a certificate, a file that also holds a
 * private key). A PEM file with several certificates yields the first one.
 */
export function loadCertificate(input: LoadCertificateInput, now: Date = new Date()): LoadedCertificate {
  const name = input.path ?? 'the certificate';
  let data: Buffer | string;
  if (input.path !== undefined) {
    data = readInputFile(input.path, {
      missing: 'cert_missing',
      invalid: 'cert_invalid',
      what: 'certificate',
      missingFix: 'set certificatePath to the certificate uploaded to the app, or make a new pair: `sf-setup keygen --force`',
    }).data;
  } else if (typeof input.data === 'string' || Buffer.isBuffer(input.data)) {
    data = input.data;
  } else {
    throw new UserError('cert_missing', 'no certificate was given', { fix: FIX });
  }
  const sizeBytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;

  let x509: X509Certificate;
  let format: 'pem' | 'der';
  if (Buffer.isBuffer(data) && data.length > 0 && looksBinary(data)) {
    x509 = parseDer(name, data);
    format = 'der';
  } else {
    x509 = parsePem(name, typeof data === 'string' ? data : data.toString('utf8'));
    format = 'pem';
  }
  try {
    return describeCertificate(x509, { name, now, sizeBytes, format, path: input.path });
  } catch (error) {
    // OpenSSL decodes parts of a certificate lazily (the public key): a damaged one can parse, then fail here.
    if (error instanceof UserError) throw error;
    return fail(`${name} is damaged: OpenSSL read its outline but not its contents`, FIX, (error as { code?: string }).code);
  }
}

function parseDer(name: string, data: Buffer): X509Certificate {
  try {
    return new X509Certificate(data);
  } catch {
    // fall through to say what it is instead
  }
  const kind = identifyDer(data);
  if (kind.kind === 'private-key' || kind.kind === 'encrypted-private-key') {
    return fail(`${name}: found a DER (binary) private key, not a certificate; never upload a private key: ${NEED}`);
  }
  if (kind.kind === 'public-key') return fail(`${name}: found a DER (binary) public key, not a certificate; ${NEED}`);
  return fail(`${name}: found binary data that is not a DER certificate; ${NEED}`);
}

function parsePem(name: string, text: string): X509Certificate {
  if (text.trim() === '') return fail(`${name} is empty; ${NEED}`);
  const clean = normalizePemText(text);
  const scan = scanPem(clean);
  const labels = new Set(scan.blocks.map((block) => block.label));
  const hasPrivateKey = scan.blocks.some((block) => PRIVATE_KEY_LABELS.has(block.label)) || scan.unterminated.some((label) => PRIVATE_KEY_LABELS.has(label));
  const certificate = scan.blocks.find((block) => block.label === 'CERTIFICATE');
  if (hasPrivateKey) {
    // Safety first: this is the file people upload to Salesforce.
    return fail(
      certificate
        ? `${name} holds a private key as well as the certificate; the file uploaded to the app must hold only the certificate`
        : `${name}: found a private key, not a certificate; never upload a private key: ${NEED}`,
      certificate ? 'write the certificate alone to its own file: openssl x509 -in combined.pem -out server.crt' : FIX,
    );
  }
  if (!certificate) {
    if (scan.unterminated.includes('CERTIFICATE')) {
      return fail(`${name} is cut off: -----BEGIN CERTIFICATE----- has no -----END CERTIFICATE----- line`, 'copy the whole certificate, END line included, ' + FIX.replace('point', 'or point'));
    }
    if (labels.has('CERTIFICATE REQUEST') || labels.has('NEW CERTIFICATE REQUEST')) {
      return fail(`${name}: found a certificate signing request (CSR), not a certificate; ${NEED}`, 'sign it: openssl x509 -req -in server.csr -signkey server.key -sha256 -days 365 -out server.crt');
    }
    if (labels.has('PUBLIC KEY') || labels.has('RSA PUBLIC KEY')) return fail(`${name}: found a public key, not a certificate; ${NEED}`);
    if (scan.blocks.length > 0) return fail(`${name}: found a -----BEGIN ${scan.blocks[0].label}----- block, not a certificate; ${NEED}`);
    const compact = text.trim().replace(/\s+/g, '');
    if (compact.length >= 64 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
      const kind = identifyDer(Buffer.from(compact, 'base64'));
      if (kind.kind === 'certificate') {
        return fail(`${name}: found base64 of a certificate without its -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- lines`, 'put those lines before and after the base64');
      }
      if (kind.kind === 'private-key' || kind.kind === 'encrypted-private-key') {
        return fail(`${name}: found base64 of a private key, not a certificate; never upload a private key: ${NEED}`);
      }
    }
    return fail(`${name}: found no certificate (no -----BEGIN CERTIFICATE----- line); ${NEED}`);
  }
  try {
    return new X509Certificate(certificate.text);
  } catch (error) {
    return fail(`${name} has a -----BEGIN CERTIFICATE----- block that does not decode: the certificate is damaged`, FIX, (error as { code?: string }).code);
  }
}

function fail(message: string, fix: string = FIX, reason?: string): never {
  throw new UserError('cert_invalid', message, { fix, detail: reason ? { reason } : undefined });
}

/** Gather the facts from a parsed certificate. */
function describeCertificate(x509: X509Certificate, context: { name: string; now: Date; sizeBytes: number; format: 'pem' | 'der'; path?: string }): LoadedCertificate {
  let signatureAlgorithmOid = 'unknown';
  let notBefore = new Date(x509.validFrom);
  let notAfter = new Date(x509.validTo);
  try {
    const facts = readCertificateDer(x509.raw);
    signatureAlgorithmOid = facts.signatureAlgorithmOid;
    notBefore = facts.notBefore;
    notAfter = facts.notAfter;
  } catch {
    // OpenSSL parsed it, so this cannot really happen; keep Node's second-precision dates.
  }
  let publicKey: KeyObject;
  try {
    publicKey = x509.publicKey;
  } catch (error) {
    return fail(`${context.name}: the certificate's public key cannot be read (damaged, or a key type OpenSSL does not know)`, FIX, (error as { code?: string }).code);
  }
  const publicKeyType = publicKey.asymmetricKeyType ?? 'unknown';
  let selfSigned = false;
  if (x509.issuer === x509.subject) {
    try {
      selfSigned = x509.verify(publicKey);
    } catch {
      selfSigned = false;
    }
  }
  const nowMs = context.now.getTime();
  return {
    pem: x509.toString(),
    x509,
    subject: oneLine(x509.subject),
    issuer: oneLine(x509.issuer),
    selfSigned,
    notBefore,
    notAfter,
    daysLeft: daysUntil(notAfter.getTime() - nowMs),
    expired: notAfter.getTime() < nowMs,
    notYetValid: notBefore.getTime() > nowMs,
    fingerprint256: x509.fingerprint256,
    signatureAlgorithm: SIGNATURE_ALGORITHMS[signatureAlgorithmOid] ?? signatureAlgorithmOid,
    signatureAlgorithmOid,
    sha256Signed: SHA256_SIGNATURE_OIDS.has(signatureAlgorithmOid),
    bits: publicKeyType === 'rsa' || publicKeyType === 'rsa-pss' ? (publicKey.asymmetricKeyDetails?.modulusLength ?? null) : null,
    publicKeyType,
    publicKeyFingerprint: publicKeyFingerprint(publicKey),
    serialNumber: x509.serialNumber.toUpperCase(),
    sizeBytes: context.sizeBytes,
    format: context.format,
    path: context.path,
  };
}

function daysUntil(ms: number): number {
  const days = ms / DAY_MS;
  return days >= 0 ? Math.ceil(days) : Math.floor(days);
}

/** Node prints a name one attribute per line; show it on one line. */
function oneLine(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

/** For messages: "an EC (prime256v1) key" for a certificate's public key. */
export function describeCertificateKey(cert: LoadedCertificate): string {
  return describeKeyType(cert.publicKeyType, cert.x509.publicKey.asymmetricKeyDetails?.namedCurve);
}
