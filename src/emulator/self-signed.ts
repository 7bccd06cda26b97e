import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/*
 * A minimal self-signed X.509 (v1) certificate built with node:crypto alone, so the emulator needs no
 * certificate library. Only used for the `key_mismatch` preset: "someone uploaded a different certificate".
 */

function der(tag: number, content: Buffer): Buffer {
  const length = content.length;
  let header: Buffer;
  if (length < 0x80) header = Buffer.from([tag, length]);
  else {
    const bytes: number[] = [];
    for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([header, content]);
}

const seq = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts));
// 1.2.840.113549.1.1.11 sha256WithRSAEncryption, with its NULL parameters.
const SHA256_WITH_RSA = seq(Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]), Buffer.from([0x05, 0x00]));

function name(commonName: string): Buffer {
  // SEQUENCE { SET { SEQUENCE { OID 2.5.4.3 (CN), UTF8String } } }
  const attribute = seq(Buffer.from([0x06, 0x03, 0x55, 0x04, 0x03]), der(0x0c, Buffer.from(commonName, 'utf8')));
  return seq(der(0x31, attribute));
}

function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return der(0x17, Buffer.from(text, 'ascii'));
}

/** A fresh RSA key and a self-signed certificate for it, as PEM. */
export function selfSignedCertificate(commonName: string, options: { bits?: number; days?: number } = {}): { certificatePem: string; privateKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: options.bits ?? 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const serial = randomBytes(8);
  serial[0] = (serial[0] & 0x7f) | 0x01; // positive and non-zero
  const now = new Date();
  const notAfter = new Date(now.getTime() + (options.days ?? 365) * 86_400_000);
  const tbs = seq(der(0x02, serial), SHA256_WITH_RSA, name(commonName), seq(utcTime(now), utcTime(notAfter)), name(commonName), spki);
  const signature = sign('sha256', tbs, privateKey);
  const certificate = seq(tbs, SHA256_WITH_RSA, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const base64 = certificate.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return { certificatePem: `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`, privateKey };
}
