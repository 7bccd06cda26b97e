/**
 * Real RSA keys (node:crypto) with real self-signed X.509 certificates (node-forge), for any test that needs
 * a key the emulated org trusts. Nothing is committed: each call generates fresh material (~0.1-0.3 s).
 */
import { createPrivateKey, createSign, generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface KeyAndCertOptions {
  /** RSA modulus length; default 2048 (Salesforce's minimum). */
  bits?: number;
  /** Certificate lifetime in days from now; default 365. Negative gives an expired certificate. */
  days?: number;
  /** Subject and issuer CN; default 'sf-setup test'. */
  commonName?: string;
  /** 'pkcs8' ("BEGIN PRIVATE KEY", default) or 'pkcs1' ("BEGIN RSA PRIVATE KEY", what `openssl genrsa` once wrote). */
  keyFormat?: 'pkcs8' | 'pkcs1';
}

export interface KeyAndCert {
  privateKeyPem: string;
  certificatePem: string;
}

/** A fresh RSA key and a self-signed SHA-256 certificate for it, both PEM. */
export function makeKeyAndCert(options: KeyAndCertOptions = {}): KeyAndCert {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: options.bits ?? 2048 });
  const privateKeyPem = privateKey.export({ type: options.keyFormat ?? 'pkcs8', format: 'pem' }) as string;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string);
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(8))}`;
  const days = options.days ?? 365;
  const now = Date.now();
  cert.validity.notBefore = new Date(Math.min(now, now + days * 86_400_000) - 60_000);
  cert.validity.notAfter = new Date(now + days * 86_400_000);
  const subject = [{ name: 'commonName', value: options.commonName ?? 'sf-setup test' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { privateKeyPem, certificatePem: forge.pki.certificateToPem(cert) };
}

/** base64url (RFC 4648 §5) without padding: what a JWT needs. */
export function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

export interface AssertionOptions {
  /** Header; default { alg: 'RS256' }. */
  header?: Record<string, unknown>;
  /** Encode with standard base64 ('+', '/', '=' padding) instead of base64url: the classic hand-made JWT bug. */
  standardBase64?: boolean;
}

/** Sign claims as an RS256 JWT with the private key (PEM). */
export function signAssertion(privateKeyPem: string, claims: Record<string, unknown>, options: AssertionOptions = {}): string {
  const encode = options.standardBase64 ? (data: string | Buffer) => Buffer.from(data).toString('base64') : base64url;
  const input = `${encode(JSON.stringify(options.header ?? { alg: 'RS256' }))}.${encode(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(input).sign(createPrivateKey(privateKeyPem));
  return `${input}.${encode(signature)}`;
}
