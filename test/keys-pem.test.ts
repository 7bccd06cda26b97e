import type { KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCertificate, loadPrivateKey, normalizePemText } from '../src/keys/index.js';
import { certificateFor, pkcs1, pkcs8, rsaKey } from './keys-fixtures.js';

let key: KeyObject;
const canonical: Record<string, string> = {};

beforeAll(async () => {
  key = rsaKey(2048);
  canonical.pkcs8 = pkcs8(key);
  canonical.pkcs1 = pkcs1(key);
  canonical.encryptedPkcs1 = key.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'secret' }) as string;
  canonical.encryptedPkcs8 = key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string;
  canonical.certificate = await certificateFor(key);
});

/** How CI secret stores, .env files, JSON and web forms damage a PEM. */
const manglings: [string, (pem: string) => string][] = [
  ['unchanged', (pem) => pem],
  ['literal \\n escapes on one line', (pem) => pem.split('\n').join('\\n')],
  ['literal \\r\\n escapes', (pem) => pem.split('\n').join('\\r\\n')],
  ['doubly escaped \\\\n', (pem) => pem.split('\n').join('\\\\n')],
  ['JSON string (quotes + escapes)', (pem) => JSON.stringify(pem)],
  ['single quotes', (pem) => `'${pem}'`],
  ['double quotes with a trailing newline', (pem) => `"${pem}"\n`],
  ['CRLF line ends', (pem) => pem.replace(/\n/g, '\r\n')],
  ['old Mac CR line ends', (pem) => pem.replace(/\n/g, '\r')],
  ['indented lines and trailing spaces', (pem) => pem.replace(/^/gm, '    ').replace(/\n/g, '  \n')],
  ['no final newline', (pem) => pem.trimEnd()],
  ['collapsed onto one line with spaces', (pem) => pem.trim().split('\n').join(' ')],
  ['base64 of the whole PEM', (pem) => Buffer.from(pem).toString('base64')],
  ['base64 of the PEM, wrapped at 76 columns', (pem) => Buffer.from(pem).toString('base64').replace(/(.{76})/g, '$1\n')],
  ['byte-order mark', (pem) => `\uFEFF${pem}`],
  ['text around the block', (pem) => `Bag Attributes\n    friendlyName: x\n${pem}trailing words\n`],
  ['re-wrapped at 76 columns', (pem) => rewrap(pem, 76)],
  ['base64 on one line between BEGIN and END', (pem) => rewrap(pem, 100_000)],
];

/** Re-wrap the base64 body of a simple (header-less) PEM at another width. */
function rewrap(pem: string, width: number): string {
  const lines = pem.trim().split('\n');
  const begin = lines[0];
  const end = lines[lines.length - 1];
  const headerEnd = lines.indexOf('');
  const headers = headerEnd > 0 ? lines.slice(1, headerEnd + 1) : [];
  const body = lines.slice(headerEnd > 0 ? headerEnd + 1 : 1, -1).join('');
  return [begin, ...headers, ...body.match(new RegExp(`.{1,${width}}`, 'g'))!, end].join('\n') + '\n';
}

describe('normalizePemText', () => {
  for (const kind of ['pkcs8', 'pkcs1', 'encryptedPkcs1', 'encryptedPkcs8', 'certificate']) {
    describe(kind, () => {
      it.each(manglings)('repairs: %s', (_name, mangle) => {
        expect(normalizePemText(mangle(canonical[kind]))).toBe(canonical[kind]);
      });
    });
  }

  it('keeps the Proc-Type and DEK-Info headers of a legacy encrypted key, even from one line', () => {
    const oneLine = canonical.encryptedPkcs1.trim().split('\n').join(' ');
    const fixed = normalizePemText(oneLine);
    expect(fixed).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,[0-9A-F]{32}\n\n/);
    expect(loadPrivateKey({ text: oneLine, passphrase: 'secret' }).encrypted).toBe(true);
  });

  it('keeps every block of a multi-block text in order', () => {
    const both = canonical.pkcs8 + canonical.certificate;
    expect(normalizePemText(both.split('\n').join('\\n'))).toBe(both);
  });

  it('is idempotent', () => {
    for (const [, mangle] of manglings) {
      const once = normalizePemText(mangle(canonical.pkcs8));
      expect(normalizePemText(once)).toBe(once);
    }
  });

  it.each([
    ['empty text', ''],
    ['garbage', 'not a key at all'],
    ['bare base64 that is not PEM', Buffer.from('x'.repeat(100)).toString('base64')],
    ['a BEGIN without END', '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n'],
    ['a block whose body is not base64', '-----BEGIN PRIVATE KEY-----\nthis is: not base64!\n-----END PRIVATE KEY-----\n'],
    ['mismatched END label', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n'],
  ])('returns %s unchanged for the loader to explain', (_name, text) => {
    expect(normalizePemText(text)).toBe(text);
  });

  it('lets the loaders read every repaired variant', () => {
    for (const [name, mangle] of manglings) {
      expect(loadPrivateKey({ text: mangle(canonical.pkcs1) }).format, name).toBe('pkcs1');
      expect(loadCertificate({ data: mangle(canonical.certificate) }).pem, name).toBe(canonical.certificate);
    }
  });
});
