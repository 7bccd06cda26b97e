import type { KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.js';
import { loadCertificate, loadPrivateKey, normalizePemText, parseSubject } from '../src/keys/index.js';
import { certificateDer, certificateFor, pkcs1, pkcs8, rsaKey, tempDir } from './keys-fixtures.js';

let key: KeyObject;
let seeds: string[];
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  key = rsaKey(1024); // size does not matter here; speed does
  seeds = [
    pkcs8(key),
    pkcs1(key),
    key.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'pw' }) as string,
    key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'pw' }) as string,
    await certificateFor(key),
  ];
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

const RUNS = { numRuns: 200 };

/** Apply edits a human, a shell or a CI store might make: cut, insert, replace, duplicate. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant('cut' as const), at: fc.nat(), length: fc.nat({ max: 200 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('\\n', '\r\n', '"', "'", '-----', '-----BEGIN PRIVATE KEY-----', '-----END CERTIFICATE-----', 'Proc-Type: 4,ENCRYPTED', ' ', '=')) }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), char: fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.nat({ max: 300 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, edits: Mutation[]): string {
  let t = text;
  for (const edit of edits) {
    const at = t.length === 0 ? 0 : edit.at % (t.length + 1);
    switch (edit.op) {
      case 'cut':
        t = t.slice(0, at) + t.slice(at + edit.length);
        break;
      case 'insert':
        t = t.slice(0, at) + edit.text + t.slice(at);
        break;
      case 'replace':
        t = t.slice(0, at) + edit.char + t.slice(at + 1);
        break;
      case 'duplicate':
        t = t.slice(0, at + edit.length) + t.slice(at, at + edit.length) + t.slice(at + edit.length);
        break;
    }
  }
  return t;
}

const mutatedPem = fc
  .tuple(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([seed, edits]) => mutate(seeds[seed % seeds.length], edits));

const anyText = fc.oneof(fc.string({ maxLength: 300, unit: 'binary' }), fc.string({ maxLength: 300 }), mutatedPem);

/** Only UserError may escape, and its message must not echo base64 (key material). */
function onlyUserErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    expect(`${error.message} ${error.fix ?? ''}`).not.toMatch(/[A-Za-z0-9+/]{40,}/);
  }
}

describe('keys: random and mutated input', () => {
  it('loadPrivateKey throws only UserError for any text, with or without a passphrase', () => {
    fc.assert(
      fc.property(anyText, fc.option(fc.constantFrom('pw', 'wrong')), (text, passphrase) => {
        onlyUserErrors(() => {
          const loaded = loadPrivateKey({ text, passphrase: passphrase ?? undefined });
          expect(loaded.bits).toBeGreaterThan(0);
        });
      }),
      RUNS,
    );
  });

  it('loadCertificate throws only UserError for any text or bytes', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 400 }).map((array) => Buffer.from(array)),
      fc.tuple(fc.nat(), fc.nat({ max: 255 }), fc.nat()).map(([at, value, cut]) => {
        const der = Buffer.from(certificateDer(seeds[4]));
        der[at % der.length] = value;
        return der.subarray(0, der.length - (cut % 8));
      }),
    );
    fc.assert(
      fc.property(fc.oneof(anyText, bytes), (data) => {
        onlyUserErrors(() => loadCertificate({ data }));
      }),
      RUNS,
    );
  });

  it('key and certificate files with random bytes yield only UserError', () => {
    let n = 0;
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), mutatedPem.map((t) => Buffer.from(t, 'latin1'))), (data) => {
        const p = path.join(dir, `f${n++}`);
        writeFileSync(p, data);
        onlyUserErrors(() => loadPrivateKey({ path: p }));
        onlyUserErrors(() => loadCertificate({ path: p }));
      }),
      { numRuns: 100 },
    );
  });

  it('normalizePemText never throws and is idempotent', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = normalizePemText(text);
        expect(typeof once).toBe('string');
        expect(normalizePemText(once)).toBe(once);
      }),
      RUNS,
    );
  });

  it('parseSubject throws only UserError', () => {
    const subjectish = fc.array(
      fc.tuple(fc.constantFrom('C', 'ST', 'L', 'O', 'OU', 'CN', 'emailAddress', 'X', 'e', ''), fc.string({ maxLength: 70 })).map(([k, v]) => `${k}=${v}`),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), subjectish.map((parts) => parts.join(',')), subjectish.map((parts) => `/${parts.join('/')}`)), (text) => {
        try {
          parseSubject(text);
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
        }
      }),
      RUNS,
    );
  });
});
