import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_SUBJECT,
  generateKeyAndCertificate,
  keyMatchesCertificate,
  loadCertificate,
  loadPrivateKey,
  MAX_CERTIFICATE_BYTES,
  type GeneratedKeyPair,
} from '../src/keys/index.js';
import { asyncUserErrorOf, DAY_MS } from './keys-fixtures.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');

describe('generateKeyAndCertificate (default 2048 bits)', () => {
  let pair: GeneratedKeyPair;
  let x509: X509Certificate;
  let rsaGenerateSpy: ReturnType<typeof vi.spyOn>;

  beforeAll(async () => {
    // If forge's own generator ran, this spy would see it; the key must come from Node's crypto.
    rsaGenerateSpy = vi.spyOn(forge.pki.rsa, 'generateKeyPair');
    pair = await generateKeyAndCertificate({ now: NOW });
    x509 = new X509Certificate(pair.certificatePem);
  });

  it('never calls node-forge key generation (native RSA only)', () => {
    expect(rsaGenerateSpy).not.toHaveBeenCalled();
    rsaGenerateSpy.mockRestore();
  });

  it('makes an unencrypted PKCS#8 RSA key of 2048 bits', () => {
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/);
    const key = createPrivateKey(pair.privateKeyPem);
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(key.asymmetricKeyDetails?.publicExponent).toBe(65537n);
  });

  it('makes a valid self-signed X.509 v3 certificate for that key', () => {
    expect(pair.certificatePem).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
    expect(pair.certificatePem).not.toContain('\r');
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkPrivateKey(createPrivateKey(pair.privateKeyPem))).toBe(true);
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.ca).toBe(false);
    const forgeCert = forge.pki.certificateFromPem(pair.certificatePem);
    expect(forgeCert.version).toBe(2); // v3
    expect(forgeCert.getExtension('keyUsage')).toMatchObject({ digitalSignature: true, keyCertSign: false });
    expect(forgeCert.getExtension('subjectKeyIdentifier')).toBeTruthy();
    expect(forgeCert.getExtension('basicConstraints')).toMatchObject({ cA: false });
  });

  it('signs with SHA-256 with RSA', () => {
    const cert = loadCertificate({ data: pair.certificatePem }, NOW);
    expect(cert.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(cert.signatureAlgorithmOid).toBe('1.2.840.113549.1.1.11');
    expect(cert.sha256Signed).toBe(true);
    expect(forge.pki.certificateFromPem(pair.certificatePem).siginfo.algorithmOid).toBe('1.2.840.113549.1.1.11');
  });

  it('uses a 16-byte positive serial number', () => {
    const serial = Buffer.from(x509.serialNumber, 'hex');
    expect(serial.length).toBe(16);
    expect(serial[0]).toBeGreaterThan(0);
    expect(serial[0]).toBeLessThan(0x80);
  });

  it('puts the default subject (seed guide answers) in subject and issuer', () => {
    const cert = loadCertificate({ data: pair.certificatePem }, NOW);
    expect(cert.subject).toBe('C=US, ST=California, L=San Francisco, O=Your Company, OU=IT, CN=sf-setup, emailAddress=admin@example.com');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.selfSigned).toBe(true);
    expect(DEFAULT_SUBJECT.CN).toBe('sf-setup');
  });

  it('is valid from a minute before now for 365 days', () => {
    const cert = loadCertificate({ data: pair.certificatePem }, NOW);
    expect(cert.notBefore.getTime()).toBe(NOW.getTime() - 60_000);
    expect(cert.notAfter.getTime()).toBe(NOW.getTime() + 365 * DAY_MS);
    expect(cert.daysLeft).toBe(365);
    expect(cert.expired).toBe(false);
    expect(cert.notYetValid).toBe(false);
  });

  it('loads back as a matching key and certificate', () => {
    const key = loadPrivateKey({ text: pair.privateKeyPem });
    const cert = loadCertificate({ data: pair.certificatePem }, NOW);
    expect(key.format).toBe('pkcs8');
    expect(key.bits).toBe(2048);
    expect(keyMatchesCertificate(key, cert)).toBe(true);
    expect(cert.sizeBytes).toBeLessThan(MAX_CERTIFICATE_BYTES);
  });

  it('makes a different key and serial every time', async () => {
    const other = await generateKeyAndCertificate({ now: NOW });
    expect(other.privateKeyPem).not.toBe(pair.privateKeyPem);
    expect(new X509Certificate(other.certificatePem).serialNumber).not.toBe(x509.serialNumber);
  });
});

describe('generateKeyAndCertificate options', () => {
  it('honours days and subject (UTF-8 text, upper-cased country)', async () => {
    const pair = await generateKeyAndCertificate({
      days: 30,
      now: NOW,
      subject: { C: 'fr', O: 'Société Générale', CN: 'acme.example.com', emailAddress: 'ops@acme.example.com' },
    });
    const cert = loadCertificate({ data: pair.certificatePem }, NOW);
    expect(cert.subject).toBe('C=FR, O=Société Générale, CN=acme.example.com, emailAddress=ops@acme.example.com');
    expect(cert.notAfter.getTime() - NOW.getTime()).toBe(30 * DAY_MS);
    expect(cert.daysLeft).toBe(30);
    // String types as X.509 wants them: PrintableString country, UTF8String names, IA5String e-mail.
    const attrs = forge.pki.certificateFromPem(pair.certificatePem).subject.attributes;
    expect(attrs.find((a) => a.shortName === 'C')?.valueTagClass).toBe(forge.asn1.Type.PRINTABLESTRING);
    expect(attrs.find((a) => a.shortName === 'O')?.valueTagClass).toBe(forge.asn1.Type.UTF8);
    expect(attrs.find((a) => a.name === 'emailAddress')?.valueTagClass).toBe(forge.asn1.Type.IA5STRING);
  });

  it('makes 3072-bit keys', async () => {
    const pair = await generateKeyAndCertificate({ bits: 3072 });
    const cert = loadCertificate({ data: pair.certificatePem });
    expect(loadPrivateKey({ text: pair.privateKeyPem }).bits).toBe(3072);
    expect(cert.bits).toBe(3072);
    expect(cert.sizeBytes).toBeLessThan(MAX_CERTIFICATE_BYTES);
  });

  it('makes 4096-bit keys whose certificate stays under the 4 KB upload limit', async () => {
    const pair = await generateKeyAndCertificate({ bits: 4096 });
    expect(createPrivateKey(pair.privateKeyPem).asymmetricKeyDetails?.modulusLength).toBe(4096);
    expect(Buffer.byteLength(pair.certificatePem)).toBeLessThan(MAX_CERTIFICATE_BYTES);
    const x509 = new X509Certificate(pair.certificatePem);
    expect(x509.verify(createPublicKey(pair.privateKeyPem))).toBe(true);
  });

  it.each([1024, 512, 0])('refuses %s bits as weak', async (bits) => {
    const error = await asyncUserErrorOf(() => generateKeyAndCertificate({ bits: bits as 2048 }));
    expect(error.code).toBe('key_weak');
    expect(error.exitCode).toBe(2);
  });

  it.each([NaN, 5000, 2049])('refuses %s bits', async (bits) => {
    const error = await asyncUserErrorOf(() => generateKeyAndCertificate({ bits: bits as 2048 }));
    expect(error.code).toBe('key_invalid');
    expect(error.message).toContain('2048, 3072 or 4096');
  });

  it.each([0, -1, 1.5, NaN, 40_000])('refuses %s days', async (days) => {
    const error = await asyncUserErrorOf(() => generateKeyAndCertificate({ days }));
    expect(error.code).toBe('cert_invalid');
    expect(error.message).toContain('days');
  });

  it('refuses an empty subject', async () => {
    const error = await asyncUserErrorOf(() => generateKeyAndCertificate({ subject: { CN: '  ' } }));
    expect(error.code).toBe('cert_invalid');
    expect(error.message).toContain('subject is empty');
  });

  it('refuses a subject that would push the certificate over 4 KB', async () => {
    const wide = (n: number) => '😀'.repeat(n); // 4 bytes each in UTF-8
    const error = await asyncUserErrorOf(() =>
      generateKeyAndCertificate({ subject: { ST: wide(128), L: wide(128), O: wide(64), OU: wide(64), CN: wide(64), emailAddress: `${'a'.repeat(240)}@x.io` } }),
    );
    expect(error.code).toBe('cert_invalid');
    expect(error.message).toMatch(/\d+ bytes; Salesforce accepts uploads of at most 4 KB/);
  });
});
