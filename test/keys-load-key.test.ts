import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkKeyStrength, loadPrivateKey, publicKeyFingerprint } from '../src/keys/index.js';
import { certificateDer, certificateFor, csrFor, expectNoKeyMaterial, pkcs1, pkcs8, rsaKey, spkiPem, tempDir, userErrorOf } from './keys-fixtures.js';

let key: KeyObject;
let other: KeyObject;
let weak: KeyObject;
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  key = rsaKey(2048);
  other = rsaKey(2048);
  weak = rsaKey(1024);
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

async function file(name: string, content: string | Buffer, mode = 0o600): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, content, { mode });
  await chmod(p, mode);
  return p;
}

describe('loadPrivateKey: good keys', () => {
  it('loads PKCS#8 from a file', async () => {
    const p = await file('pkcs8.key', pkcs8(key));
    const loaded = loadPrivateKey({ path: p });
    expect(loaded).toMatchObject({ bits: 2048, format: 'pkcs8', encrypted: false, source: p, normalized: false, fileMode: 0o600 });
    expect(loaded.keyObject.asymmetricKeyType).toBe('rsa');
    expect(loaded.publicKeyFingerprint).toBe(publicKeyFingerprint(key));
    expect(loaded.publicKeyFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('loads PKCS#1 (BEGIN RSA PRIVATE KEY) from a file', async () => {
    const p = await file('pkcs1.key', pkcs1(key), 0o644);
    const loaded = loadPrivateKey({ path: p });
    expect(loaded).toMatchObject({ bits: 2048, format: 'pkcs1', encrypted: false, fileMode: 0o644 });
    expect(loaded.publicKeyFingerprint).toBe(publicKeyFingerprint(key));
  });

  it('loads text with the SF_PRIVATE_KEY label by default', () => {
    const loaded = loadPrivateKey({ text: pkcs8(key) });
    expect(loaded.source).toBe('SF_PRIVATE_KEY');
    expect(loaded.fileMode).toBeUndefined();
    expect(loadPrivateKey({ text: pkcs8(key), sourceLabel: 'KEY_VAR' }).source).toBe('KEY_VAR');
  });

  it('repairs text mangled by a CI secret store and says so', () => {
    const loaded = loadPrivateKey({ text: JSON.stringify(pkcs8(key)) });
    expect(loaded.normalized).toBe(true);
    expect(loaded.publicKeyFingerprint).toBe(publicKeyFingerprint(key));
  });

  it('accepts a key file that also holds its certificate and openssl bag attributes', async () => {
    const text = `Bag Attributes\n    localKeyID: 01 00 00 00\nKey Attributes: <No Attributes>\n${pkcs8(key)}${await certificateFor(key)}`;
    expect(loadPrivateKey({ text }).bits).toBe(2048);
  });
});

describe('loadPrivateKey: encrypted keys', () => {
  const passphrase = 'correct horse battery staple';
  const encrypted8 = () => key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }) as string;
  const encrypted1 = () => key.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase }) as string;

  it.each([
    ['PKCS#8 ENCRYPTED PRIVATE KEY', encrypted8, 'pkcs8', /-----BEGIN ENCRYPTED PRIVATE KEY-----/],
    ['PKCS#1 Proc-Type: 4,ENCRYPTED', encrypted1, 'pkcs1', /Proc-Type: 4,ENCRYPTED/],
  ] as const)('%s: loads with the passphrase', (_name, make, format, shown) => {
    const text = make();
    const loaded = loadPrivateKey({ text, passphrase });
    expect(loaded).toMatchObject({ encrypted: true, format, bits: 2048 });
    expect(loaded.publicKeyFingerprint).toBe(publicKeyFingerprint(key));

    const none = userErrorOf(() => loadPrivateKey({ text }));
    expect(none.code).toBe('key_encrypted');
    expect(none.message).toMatch(shown);
    expect(none.message).toContain('no passphrase was given');
    expect(none.fix).toContain('SF_PRIVATE_KEY_PASSPHRASE');
    expect(none.exitCode).toBe(2);

    const empty = userErrorOf(() => loadPrivateKey({ text, passphrase: '' }));
    expect(empty.code).toBe('key_encrypted');

    const wrong = userErrorOf(() => loadPrivateKey({ text, passphrase: 'wrong' }));
    expect(wrong.code).toBe('key_encrypted');
    expect(wrong.message).toContain('passphrase for SF_PRIVATE_KEY is wrong');
    expectNoKeyMaterial(wrong, text);
  });

  it('loads an encrypted key repaired from escaped one-line text', () => {
    const oneLine = encrypted1().trim().split('\n').join('\\n');
    expect(loadPrivateKey({ text: oneLine, passphrase }).encrypted).toBe(true);
  });
});

describe('loadPrivateKey: what is wrong, said plainly', () => {
  it('key_missing for a missing file', () => {
    const p = path.join(dir, 'nope', 'server.key');
    const error = userErrorOf(() => loadPrivateKey({ path: p }));
    expect(error.code).toBe('key_missing');
    expect(error.message).toBe(`${p} does not exist`);
    expect(error.fix).toContain('sf-setup keygen');
  });

  it('key_missing when neither path nor text is given', () => {
    expect(userErrorOf(() => loadPrivateKey({})).code).toBe('key_missing');
  });

  it('key_invalid for a folder', async () => {
    const p = path.join(dir, 'a-folder');
    await mkdir(p);
    const error = userErrorOf(() => loadPrivateKey({ path: p }));
    expect(error.code).toBe('key_invalid');
    expect(error.message).toContain('is a folder');
  });

  it.each([
    ['an empty file', ''],
    ['a whitespace-only file', ' \n\n '],
  ])('key_invalid for %s', async (_name, content) => {
    const p = await file(`empty-${content.length}.key`, content);
    const error = userErrorOf(() => loadPrivateKey({ path: p }));
    expect(error.code).toBe('key_invalid');
    expect(error.message).toContain(`${p} is empty`);
  });

  it('key_invalid for a certificate given as the key', async () => {
    const cert = await certificateFor(key);
    const error = userErrorOf(() => loadPrivateKey({ text: cert }));
    expect(error.code).toBe('key_invalid');
    expect(error.message).toMatch(/found a certificate \(-----BEGIN CERTIFICATE-----\), not a private key/);
    expect(error.message).toContain('RSA private key in PEM form');
    expectNoKeyMaterial(error, cert);
  });

  it('key_invalid for a public key', () => {
    const error = userErrorOf(() => loadPrivateKey({ text: spkiPem(key) }));
    expect(error.message).toContain('found a public key, not a private key');
    const rsaPublicKey = createPublicKey(key).export({ type: 'pkcs1', format: 'pem' }) as string; // BEGIN RSA PUBLIC KEY
    const rsaPublic = userErrorOf(() => loadPrivateKey({ text: rsaPublicKey }));
    expect(rsaPublic.message).toContain('found a public key');
  });

  it('key_invalid for a CSR', () => {
    expect(userErrorOf(() => loadPrivateKey({ text: csrFor(key) })).message).toContain('certificate signing request (CSR)');
  });

  it('key_invalid for an EC key, naming the curve', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    for (const text of [ec.export({ type: 'pkcs8', format: 'pem' }) as string, ec.export({ type: 'sec1', format: 'pem' }) as string]) {
      const error = userErrorOf(() => loadPrivateKey({ text }));
      expect(error.code).toBe('key_invalid');
      expect(error.message).toBe("SF_PRIVATE_KEY: found an EC (prime256v1) key; Salesforce's JWT flow (RS256) needs an RSA key");
      expect(error.fix).toContain('sf-setup keygen');
      expectNoKeyMaterial(error, text);
    }
  });

  it('key_invalid for an Ed25519 key', () => {
    const text = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(userErrorOf(() => loadPrivateKey({ text })).message).toContain('found an Ed25519 key');
  });

  it('key_invalid for an RSA-PSS key', () => {
    const text = generateKeyPairSync('rsa-pss', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(userErrorOf(() => loadPrivateKey({ text })).message).toContain('found an RSA-PSS key');
  });

  it('key_invalid for a DER key, with the openssl command to convert it', async () => {
    const p = await file('key.der', key.export({ type: 'pkcs8', format: 'der' }));
    const error = userErrorOf(() => loadPrivateKey({ path: p }));
    expect(error.code).toBe('key_invalid');
    expect(error.message).toContain('found DER (binary) PKCS#8 private key');
    expect(error.fix).toBe(`convert it: openssl pkey -in ${p} -inform DER -out server.key`);
    const p1 = await file('key1.der', key.export({ type: 'pkcs1', format: 'der' }));
    expect(userErrorOf(() => loadPrivateKey({ path: p1 })).message).toContain('PKCS#1');
  });

  it('key_invalid for DER certificates, DER EC keys and other binary files', async () => {
    const certDer = await file('cert.der', certificateDer(await certificateFor(key)));
    expect(userErrorOf(() => loadPrivateKey({ path: certDer })).message).toContain('found a DER (binary) certificate');
    const ecDer = await file('ec.der', generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ type: 'pkcs8', format: 'der' }));
    expect(userErrorOf(() => loadPrivateKey({ path: ecDer })).message).toContain('found an EC key in DER (binary) form');
    const random = await file('random.bin', Buffer.from([0x30, 0x82, 0x00, 0x10, 0xff, 0x00, 0x01]));
    expect(userErrorOf(() => loadPrivateKey({ path: random })).message).toContain('binary data that is not a key or certificate');
  });

  it('key_invalid for two keys in one file', () => {
    const error = userErrorOf(() => loadPrivateKey({ text: pkcs8(key) + pkcs1(other) }));
    expect(error.code).toBe('key_invalid');
    expect(error.message).toBe('SF_PRIVATE_KEY holds 2 private keys; it must hold exactly one, the key whose certificate is uploaded to the app');
  });

  it('key_invalid for a key cut off before its END line', () => {
    const text = pkcs8(key).split('\n').slice(0, 10).join('\n');
    const error = userErrorOf(() => loadPrivateKey({ text }));
    expect(error.message).toBe('SF_PRIVATE_KEY is cut off: -----BEGIN PRIVATE KEY----- has no -----END PRIVATE KEY----- line');
    expect(error.fix).toContain('$(cat certs/server.key)');
    expectNoKeyMaterial(error, text);
  });

  it('key_invalid for a damaged key body', () => {
    const lines = pkcs8(key).split('\n');
    lines[5] = 'AAAA' + lines[5].slice(4).replace(/[A-Z]/g, 'Q');
    lines.splice(8, 4);
    const text = lines.join('\n');
    const error = userErrorOf(() => loadPrivateKey({ text }));
    expect(error.code).toBe('key_invalid');
    expect(error.message).toContain('does not decode: the key is damaged');
    expectNoKeyMaterial(error, text);
  });

  it('key_invalid for garbage, SSH keys, PuTTY keys, a path in the variable, and bare base64', () => {
    expect(userErrorOf(() => loadPrivateKey({ text: 'hello world' })).message).toContain('found no PEM private key');
    expect(userErrorOf(() => loadPrivateKey({ text: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ user@host' })).message).toContain('SSH public key');
    expect(userErrorOf(() => loadPrivateKey({ text: 'PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\n' })).message).toContain('PuTTY');
    expect(userErrorOf(() => loadPrivateKey({ text: './certs/server.key' })).message).toContain('looks like a file path');
    const bare = key.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    const error = userErrorOf(() => loadPrivateKey({ text: bare }));
    expect(error.message).toContain('found base64 of an RSA private key without its -----BEGIN PRIVATE KEY----- and -----END PRIVATE KEY----- lines');
    expectNoKeyMaterial(error, bare);
  });

  it('key_invalid for an OpenSSH-format private key', () => {
    const text = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n';
    const error = userErrorOf(() => loadPrivateKey({ text }));
    expect(error.message).toContain('OpenSSH-format private key');
    expect(error.fix).toContain('ssh-keygen -p -m PKCS8');
  });

  it('refuses files over 1 MB without reading them whole', async () => {
    const p = await file('huge.key', Buffer.alloc(1024 * 1024 + 1, 0x41));
    expect(userErrorOf(() => loadPrivateKey({ path: p })).message).toMatch(/is 1024 KB; a private key is a few KB/);
  });
});

describe('checkKeyStrength', () => {
  it('loads a 1024-bit key but flags it as key_weak', () => {
    const loaded = loadPrivateKey({ text: pkcs8(weak), sourceLabel: 'certs/old.key' });
    expect(loaded.bits).toBe(1024);
    const problem = checkKeyStrength(loaded);
    expect(problem?.code).toBe('key_weak');
    expect(problem?.message).toBe('certs/old.key: found a 1024-bit RSA key; Salesforce needs 2048 bits or more');
    expect(problem?.fix).toContain('sf-setup keygen --force');
  });

  it('passes 2048 bits and more', () => {
    expect(checkKeyStrength(loadPrivateKey({ text: pkcs8(key) }))).toBeNull();
  });
});
