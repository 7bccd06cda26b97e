import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyMatchesCertificate, loadCertificate, loadPrivateKey, publicKeyFingerprint } from '../src/keys/index.js';
import { expiryFinding } from '../src/keys/expiry.js';
import {
  certificateDer,
  certificateFor,
  csrFor,
  DAY_MS,
  EC_CERTIFICATE,
  issuedCertificate,
  expectNoKeyMaterial,
  pkcs1,
  pkcs8,
  rsaKey,
  sha1CertificateFor,
  spkiPem,
  tempDir,
  userErrorOf,
} from './keys-fixtures.js';

let key: KeyObject;
let other: KeyObject;
let certPem: string;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  key = rsaKey(2048);
  other = rsaKey(2048);
  certPem = await certificateFor(key, { CN: 'acme.example.com' });
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

async function file(name: string, content: string | Buffer): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, content);
  return p;
}

describe('loadCertificate', () => {
  it('loads a PEM file with the facts the doctor needs', async () => {
    const p = await file('server.crt', certPem);
    const cert = loadCertificate({ path: p });
    expect(cert).toMatchObject({
      path: p,
      format: 'pem',
      subject: 'O=Fixture Co, CN=acme.example.com',
      issuer: 'O=Fixture Co, CN=acme.example.com',
      selfSigned: true,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      sha256Signed: true,
      bits: 2048,
      publicKeyType: 'rsa',
      sizeBytes: Buffer.byteLength(certPem),
      expired: false,
      notYetValid: false,
    });
    expect(cert.pem).toBe(certPem);
    expect(cert.fingerprint256).toBe(cert.x509.fingerprint256);
    expect(cert.publicKeyFingerprint).toBe(publicKeyFingerprint(key));
    expect(cert.serialNumber).toMatch(/^[0-9A-F]+$/);
  });

  it('loads DER from a file and from bytes, with the same facts', async () => {
    const der = certificateDer(certPem);
    const fromFile = loadCertificate({ path: await file('server.der', der) });
    const fromBytes = loadCertificate({ data: der });
    for (const cert of [fromFile, fromBytes]) {
      expect(cert.format).toBe('der');
      expect(cert.pem).toBe(certPem);
      expect(cert.sizeBytes).toBe(der.length);
      expect(cert.fingerprint256).toBe(loadCertificate({ data: certPem }).fingerprint256);
    }
  });

  it('loads PEM given as a Buffer, and CRLF or indented PEM', () => {
    expect(loadCertificate({ data: Buffer.from(certPem) }).format).toBe('pem');
    expect(loadCertificate({ data: certPem.replace(/\n/g, '\r\n') }).pem).toBe(certPem);
    expect(loadCertificate({ data: certPem.replace(/^/gm, '    ') }).pem).toBe(certPem);
  });

  it('takes the first certificate of a chain file', async () => {
    const cert = loadCertificate({ data: certPem + await certificateFor(other, { CN: 'second' }) });
    expect(cert.subject).toContain('CN=acme.example.com');
  });

  it('counts days left for a valid certificate (a started day counts)', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const pem = await certificateFor(key, { notBefore: new Date(now.getTime() - DAY_MS), notAfter: new Date(now.getTime() + 10.5 * DAY_MS) });
    const cert = loadCertificate({ data: pem }, now);
    expect(cert.daysLeft).toBe(11);
    expect(loadCertificate({ data: pem }, new Date(now.getTime() + 10 * DAY_MS + 1000)).daysLeft).toBe(1);
  });

  it('reports an expired certificate with negative days', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const pem = await certificateFor(key, { notBefore: new Date(now.getTime() - 400 * DAY_MS), notAfter: new Date(now.getTime() - 3 * DAY_MS) });
    const cert = loadCertificate({ data: pem }, now);
    expect(cert.expired).toBe(true);
    expect(cert.daysLeft).toBe(-3);
    expect(loadCertificate({ data: pem }, new Date(now.getTime() - 3 * DAY_MS + 1)).daysLeft).toBe(-1);
    expect(loadCertificate({ data: pem }, new Date(now.getTime() - 3 * DAY_MS - 1)).daysLeft).toBe(1);
  });

  it('reports a not-yet-valid certificate', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const notBefore = new Date(now.getTime() + 2 * DAY_MS);
    const pem = await certificateFor(key, { notBefore, notAfter: new Date(now.getTime() + 100 * DAY_MS) });
    const cert = loadCertificate({ data: pem }, now);
    expect(cert.notYetValid).toBe(true);
    expect(cert.expired).toBe(false);
    expect(cert.daysLeft).toBe(100);
    expect(cert.notBefore.getTime()).toBe(notBefore.getTime());
  });

  it('reads a SHA-1 certificate as not SHA-256 signed', () => {
    const cert = loadCertificate({ data: sha1CertificateFor(key) });
    expect(cert.signatureAlgorithm).toBe('sha1WithRSAEncryption');
    expect(cert.sha256Signed).toBe(false);
    expect(cert.selfSigned).toBe(true);
  });

  it('reads an EC certificate (GeneralizedTime notAfter) with bits null', () => {
    const cert = loadCertificate({ data: EC_CERTIFICATE }, new Date('2026-11-23T00:00:00Z'));
    expect(cert).toMatchObject({ publicKeyType: 'ec', bits: null, signatureAlgorithm: 'ecdsa-with-SHA256', selfSigned: true, subject: 'CN=ec-fixture' });
    expect(cert.notBefore.toISOString()).toBe('2026-11-22T18:46:36.000Z');
    expect(cert.notAfter.toISOString()).toBe('2126-10-29T18:46:36.000Z');
  });

  it('is not self-signed when a CA issued it', () => {
    const cert = loadCertificate({ data: issuedCertificate(key, other) });
    expect(cert.selfSigned).toBe(false);
    expect(cert.issuer).toBe('CN=Fixture CA');
    expect(cert.subject).toBe('CN=leaf');
    expect(cert.sha256Signed).toBe(true);
  });
});

describe('loadCertificate failures', () => {
  it('cert_missing for a missing file', () => {
    const p = path.join(dir, 'missing.crt');
    const error = userErrorOf(() => loadCertificate({ path: p }));
    expect(error.code).toBe('cert_missing');
    expect(error.message).toBe(`${p} does not exist`);
    expect(error.exitCode).toBe(2);
    expect(userErrorOf(() => loadCertificate({})).code).toBe('cert_missing');
  });

  it('cert_invalid for a folder, an empty file and garbage', async () => {
    const folder = path.join(dir, 'certs-folder');
    await mkdir(folder);
    expect(userErrorOf(() => loadCertificate({ path: folder })).message).toContain('is a folder');
    const empty = await file('empty.crt', '');
    const emptyError = userErrorOf(() => loadCertificate({ path: empty }));
    expect(emptyError.code).toBe('cert_invalid');
    expect(emptyError.message).toContain('is empty');
    expect(userErrorOf(() => loadCertificate({ data: 'not a certificate' })).message).toContain('found no certificate');
    expect(userErrorOf(() => loadCertificate({ data: Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00, 0xff]) })).message).toContain('binary data that is not a DER certificate');
  });

  it('cert_invalid for a private key given as the certificate, never echoing it', () => {
    for (const text of [pkcs8(key), pkcs1(key)]) {
      const error = userErrorOf(() => loadCertificate({ data: text }));
      expect(error.code).toBe('cert_invalid');
      expect(error.message).toContain('found a private key, not a certificate; never upload a private key');
      expectNoKeyMaterial(error, text);
    }
    const der = userErrorOf(() => loadCertificate({ data: key.export({ type: 'pkcs8', format: 'der' }) }));
    expect(der.message).toContain('found a DER (binary) private key');
  });

  it('cert_invalid for a file holding the private key too', () => {
    const error = userErrorOf(() => loadCertificate({ data: certPem + pkcs8(key) }));
    expect(error.message).toContain('holds a private key as well as the certificate');
    expect(error.fix).toContain('openssl x509');
  });

  it('cert_invalid for a public key, a CSR, a truncated certificate and a damaged one', () => {
    expect(userErrorOf(() => loadCertificate({ data: spkiPem(key) })).message).toContain('found a public key, not a certificate');
    expect(userErrorOf(() => loadCertificate({ data: csrFor(key) })).message).toContain('certificate signing request (CSR)');
    expect(userErrorOf(() => loadCertificate({ data: certPem.split('\n').slice(0, 6).join('\n') })).message).toContain('is cut off');
    const damaged = certPem.replace(/\n[A-Za-z0-9+/]{64}\n/, '\nAAAA\n');
    expect(userErrorOf(() => loadCertificate({ data: damaged })).message).toContain('does not decode');
  });

  it('cert_invalid for a certificate whose public key is damaged (OpenSSL decodes it lazily)', () => {
    const der = certificateDer(certPem);
    const rsaEncryption = Buffer.from('06092a864886f70d010101', 'hex');
    const at = der.indexOf(rsaEncryption);
    expect(at).toBeGreaterThan(0);
    der[at + 2] = 0x00; // the OID no longer names RSA
    const error = userErrorOf(() => loadCertificate({ data: der }));
    expect(error.code).toBe('cert_invalid');
    expect(error.message).toContain("the certificate's public key cannot be read");
  });

  it('cert_invalid for bare base64 of a certificate, saying the PEM lines are missing', () => {
    const bare = certificateDer(certPem).toString('base64');
    const error = userErrorOf(() => loadCertificate({ data: bare }));
    expect(error.message).toContain('without its -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- lines');
  });
});

describe('keyMatchesCertificate', () => {
  it('is true for the key the certificate was made from (PKCS#1 or PKCS#8)', () => {
    const cert = loadCertificate({ data: certPem });
    expect(keyMatchesCertificate(loadPrivateKey({ text: pkcs8(key) }), cert)).toBe(true);
    expect(keyMatchesCertificate(loadPrivateKey({ text: pkcs1(key) }), cert)).toBe(true);
  });

  it('is false for another key (the seed guide\'s "invalid signature")', () => {
    const cert = loadCertificate({ data: certPem });
    const wrong = loadPrivateKey({ text: pkcs8(other) });
    expect(wrong.publicKeyFingerprint).not.toBe(cert.publicKeyFingerprint);
    expect(keyMatchesCertificate(wrong, cert)).toBe(false);
  });

  it('is false for an EC certificate', () => {
    expect(keyMatchesCertificate(loadPrivateKey({ text: pkcs8(key) }), loadCertificate({ data: EC_CERTIFICATE }))).toBe(false);
  });

  it('works for an Ed25519 public key fingerprint too (no crash on other key types)', () => {
    const ed = generateKeyPairSync('ed25519').publicKey;
    expect(publicKeyFingerprint(ed)).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });
});

describe('expiryFinding: how long ago, how long left', () => {
  const DAY = 86_400_000;
  const now = new Date('2030-01-01T12:00:00Z');
  const at = (offsetDays: number) => {
    const notAfter = new Date(now.getTime() + offsetDays * DAY);
    const days = offsetDays;
    return { notAfter, daysLeft: days >= 0 ? Math.ceil(days) : Math.floor(days) };
  };
  it.each([
    [-15 / 1440, 'expired on 2030-01-01 (less than a day ago)'],
    [-1.5, 'expired on 2029-12-31 (1 day ago)'],
    [-5.2, 'expired on 2029-12-27 (5 days ago)'],
    [-3, 'expired on 2029-12-29 (3 days ago)'],
    [0.5, 'expires on 2030-01-02: 1 day left'],
    [10, 'expires on 2030-01-11: 10 days left'],
  ])('%s days from now: %s', (offset, words) => {
    expect(expiryFinding(at(offset), 'c.crt', now)!.detail).toBe(`c.crt ${words}`);
  });
});
