/**
 * Real keys and certificates for the keys tests. Generated on demand (native, fast) so no key material is
 * committed; the one static certificate below is an EC certificate (public data) that node-forge cannot make.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { expect } from 'vitest';
import { UserError } from '../src/errors.js';
import { createSelfSignedCertificate } from '../src/keys/index.js';

export const DAY_MS = 86_400_000;

export function rsaKey(bits = 2048): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: bits }).privateKey;
}

export function pkcs8(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }) as string;
}

export function pkcs1(key: KeyObject): string {
  return key.export({ type: 'pkcs1', format: 'pem' }) as string;
}

export function spkiPem(key: KeyObject): string {
  return createPublicKey(key).export({ type: 'spki', format: 'pem' }) as string;
}

/** A self-signed certificate for an RSA key, made with node-forge (via the module under test's builder). */
export function certificateFor(key: KeyObject, options: { notBefore?: Date; notAfter?: Date; CN?: string } = {}): Promise<string> {
  const now = Date.now();
  return createSelfSignedCertificate(key, {
    subject: { CN: options.CN ?? 'fixture', O: 'Fixture Co' },
    notBefore: options.notBefore ?? new Date(now - DAY_MS),
    notAfter: options.notAfter ?? new Date(now + 30 * DAY_MS),
  });
}

/** A certificate signed by forge itself with SHA-1 (what old tools made); for the sha256Signed check. */
export function sha1CertificateFor(key: KeyObject): string {
  const forgeKey = forge.pki.privateKeyFromPem(pkcs1(key));
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + DAY_MS);
  const attrs = [{ name: 'commonName', value: 'sha1' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(forgeKey, forge.md.sha1.create());
  return forge.pki.certificateToPem(cert);
}

/** A certificate for leafKey issued (signed) by caKey, made with node-forge. */
export function issuedCertificate(leafKey: KeyObject, caKey: KeyObject): string {
  const leaf = forge.pki.privateKeyFromPem(pkcs1(leafKey));
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(leaf.n, leaf.e);
  cert.serialNumber = '02';
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + DAY_MS);
  cert.setSubject([{ name: 'commonName', value: 'leaf' }]);
  cert.setIssuer([{ name: 'commonName', value: 'Fixture CA' }]);
  cert.sign(forge.pki.privateKeyFromPem(pkcs1(caKey)), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/** A certificate signing request for a key (forge). */
export function csrFor(key: KeyObject): string {
  const forgeKey = forge.pki.privateKeyFromPem(pkcs1(key));
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  csr.setSubject([{ name: 'commonName', value: 'csr' }]);
  csr.sign(forgeKey, forge.md.sha256.create());
  return forge.pki.certificationRequestToPem(csr);
}

/** DER bytes of a PEM certificate. */
export function certificateDer(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

/** An EC (prime256v1) self-signed certificate made with openssl req -x509 (notAfter uses GeneralizedTime). */
export const EC_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBgDCCASegAwIBAgIUFCw8HGPcGDSSgKJhaoIcVQ/22+wwCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKZWMtZml4dHVyZTAgFw0yNjExMjIxODQ2MzZaGA8yMTI2MTAy
OTE4NDYzNlowFTETMBEGA1UEAwwKZWMtZml4dHVyZTBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABMIawHC8yraPGjW07OmbqN7+2Pt5I12nb3c4DGs/pLsuDoRTGXrd
kt8oprzxocxDFUXBPyTYc+in9DLb1nWHWv2jUzBRMB0GA1UdDgQWBBTGJXVQxZQ0
artErFD1EPpoWBFigzAfBgNVHSMEGDAWgBTGJXVQxZQ0artErFD1EPpoWBFigzAP
BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIHqtb+s4bnGBxzJj1S48
TgPhbPoK51H4M6hYfUAKalfAAiBKlIljN468jOiybDEZr2+lmWZF4KNJLytqF6pq
MWIjOw==
-----END CERTIFICATE-----
`;

/** Run fn and return the UserError it throws (fails the test if it throws anything else or nothing). */
export function userErrorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError, but nothing was thrown');
}

export async function asyncUserErrorOf(fn: () => Promise<unknown>): Promise<UserError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError, but nothing was thrown');
}

/**
 * Assert a message carries no key material: no PEM line, and no base64 run long enough to be a fragment of
 * the given secret texts.
 */
export function expectNoKeyMaterial(error: UserError, ...secrets: string[]): void {
  const shown = `${error.message}\n${error.fix ?? ''}\n${JSON.stringify(error.detail ?? {})}`;
  expect(shown).not.toMatch(/[A-Za-z0-9+/]{40,}/);
  for (const secret of secrets) {
    const body = secret.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    for (let i = 0; i + 24 <= body.length; i += 24) expect(shown).not.toContain(body.slice(i, i + 24));
  }
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sf-setup-keys-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
