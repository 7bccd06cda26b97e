import { promises as fsPromises } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateKeyAndCertificate, writeKeyAndCertificate, type GeneratedKeyPair } from '../src/keys/index.js';
import { asyncUserErrorOf, tempDir } from './keys-fixtures.js';

let first: GeneratedKeyPair;
let second: GeneratedKeyPair;
let root: string;
let cleanup: () => Promise<void>;
let counter = 0;

beforeAll(async () => {
  [first, second] = await Promise.all([generateKeyAndCertificate(), generateKeyAndCertificate()]);
  ({ dir: root, cleanup } = await tempDir());
});
afterAll(() => cleanup());
afterEach(() => vi.restoreAllMocks());

const modeOf = async (p: string) => (await stat(p)).mode & 0o777;
const freshDir = () => path.join(root, `case-${++counter}`);

describe('writeKeyAndCertificate', () => {
  it('creates the folder 0700, the key 0600 and the certificate 0644', async () => {
    const dir = path.join(freshDir(), 'nested', 'certs');
    const written = await writeKeyAndCertificate(first, { dir });
    expect(written.keyPath).toBe(path.join(dir, 'server.key'));
    expect(written.certificatePath).toBe(path.join(dir, 'server.crt'));
    expect(path.isAbsolute(written.keyPath)).toBe(true);
    expect(await modeOf(dir)).toBe(0o700);
    expect(await modeOf(written.keyPath)).toBe(0o600);
    expect(await modeOf(written.certificatePath)).toBe(0o644);
    expect(await readFile(written.keyPath, 'utf8')).toBe(first.privateKeyPem);
    expect(await readFile(written.certificatePath, 'utf8')).toBe(first.certificatePem);
    expect(written.backups).toEqual([]);
    expect(written.bits).toBe(2048);
    expect(written.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(written.notAfter.getTime()).toBeGreaterThan(Date.now() + 364 * 86_400_000);
    // No temporary files left behind.
    expect((await readdir(dir)).sort()).toEqual(['server.crt', 'server.key']);
  });

  it('keeps modes exact under a permissive or strict umask', async () => {
    const old = process.umask(0o000);
    try {
      const written = await writeKeyAndCertificate(first, { dir: freshDir() });
      expect(await modeOf(written.keyPath)).toBe(0o600);
      expect(await modeOf(path.dirname(written.keyPath))).toBe(0o700);
      process.umask(0o077);
      const strict = await writeKeyAndCertificate(first, { dir: freshDir() });
      expect(await modeOf(strict.certificatePath)).toBe(0o644);
    } finally {
      process.umask(old);
    }
  });

  it('leaves an existing folder\'s mode alone', async () => {
    const dir = freshDir();
    await mkdir(dir);
    await chmod(dir, 0o750);
    await writeKeyAndCertificate(first, { dir });
    expect(await modeOf(dir)).toBe(0o750);
  });

  it('honours other file names', async () => {
    const written = await writeKeyAndCertificate(first, { dir: freshDir(), keyFile: 'jwt.key', certificateFile: 'jwt.crt' });
    expect(path.basename(written.keyPath)).toBe('jwt.key');
    expect(path.basename(written.certificatePath)).toBe('jwt.crt');
    await expect(writeKeyAndCertificate(first, { dir: freshDir(), keyFile: '../x.key' })).rejects.toThrow(TypeError);
  });

  it('refuses to overwrite without force and leaves the old files unchanged', async () => {
    const dir = freshDir();
    const written = await writeKeyAndCertificate(first, { dir });
    const error = await asyncUserErrorOf(() => writeKeyAndCertificate(second, { dir }));
    expect(error.code).toBe('key_exists');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(`${written.keyPath} and ${written.certificatePath} already exist`);
    expect(error.fix).toBe('pass --force to replace them (the old files are backed up)');
    await rm(written.certificatePath);
    const one = await asyncUserErrorOf(() => writeKeyAndCertificate(second, { dir }));
    expect(one.message).toContain(`${written.keyPath} already exists;`);
    expect(one.fix).toBe('pass --force to replace it (the old file is backed up)');
    await writeFile(written.certificatePath, first.certificatePem);
    expect(await readFile(written.keyPath, 'utf8')).toBe(first.privateKeyPem);
    expect(await readFile(written.certificatePath, 'utf8')).toBe(first.certificatePem);
    expect((await readdir(dir)).sort()).toEqual(['server.crt', 'server.key']);
  });

  it('refuses when only the certificate exists, naming it', async () => {
    const dir = freshDir();
    await mkdir(dir);
    await writeFile(path.join(dir, 'server.crt'), 'old certificate');
    const error = await asyncUserErrorOf(() => writeKeyAndCertificate(first, { dir }));
    expect(error.message).toMatch(/server\.crt already exists/);
    expect(error.message).not.toContain('server.key');
  });

  it('with force, backs the old files up (same content and mode) and writes the new pair', async () => {
    const dir = freshDir();
    const old = await writeKeyAndCertificate(first, { dir });
    await chmod(old.keyPath, 0o640); // an odd mode, to see it kept on the backup
    const now = new Date('2026-05-04T03:02:01Z');
    const written = await writeKeyAndCertificate(second, { dir, force: true, now });
    expect(written.backups).toEqual([path.join(dir, 'server.key.20260504T030201Z.bak'), path.join(dir, 'server.crt.20260504T030201Z.bak')]);
    expect(await readFile(written.backups[0], 'utf8')).toBe(first.privateKeyPem);
    expect(await readFile(written.backups[1], 'utf8')).toBe(first.certificatePem);
    expect(await modeOf(written.backups[0])).toBe(0o640);
    expect(await modeOf(written.backups[1])).toBe(0o644);
    expect(await readFile(written.keyPath, 'utf8')).toBe(second.privateKeyPem);
    expect(await readFile(written.certificatePath, 'utf8')).toBe(second.certificatePem);
    expect(await modeOf(written.keyPath)).toBe(0o600);
    expect(written.fingerprint).not.toBe(old.fingerprint);

    // A second replacement within the same second gets its own backup names.
    const again = await writeKeyAndCertificate(first, { dir, force: true, now });
    expect(again.backups).toEqual([path.join(dir, 'server.key.20260504T030201Z-2.bak'), path.join(dir, 'server.crt.20260504T030201Z-2.bak')]);
    expect(await readFile(again.backups[0], 'utf8')).toBe(second.privateKeyPem);
    expect((await readdir(dir)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('refuses a mismatched pair and writes nothing', async () => {
    const dir = freshDir();
    const error = await asyncUserErrorOf(() => writeKeyAndCertificate({ privateKeyPem: first.privateKeyPem, certificatePem: second.certificatePem }, { dir }));
    expect(error.code).toBe('key_cert_mismatch');
    await expect(stat(dir)).rejects.toThrow();
  });

  it('refuses when the folder is a file, or the key path is a folder (even with force)', async () => {
    const parent = freshDir();
    await mkdir(parent);
    const asFile = path.join(parent, 'certs');
    await writeFile(asFile, 'x');
    expect((await asyncUserErrorOf(() => writeKeyAndCertificate(first, { dir: asFile }))).message).toContain('exists and is not a folder');
    expect((await asyncUserErrorOf(() => writeKeyAndCertificate(first, { dir: path.join(asFile, 'sub') }))).code).toBe('key_exists');

    const dir = freshDir();
    await mkdir(path.join(dir, 'server.key'), { recursive: true });
    const error = await asyncUserErrorOf(() => writeKeyAndCertificate(first, { dir, force: true }));
    expect(error.code).toBe('key_exists');
    expect(error.message).toContain('is a folder');
  });

  it('undoes the key when the certificate cannot be put in place: never a new key with the old certificate', async () => {
    const dir = freshDir();
    const old = await writeKeyAndCertificate(first, { dir });
    const realRename = fsPromises.rename.bind(fsPromises);
    vi.spyOn(fsPromises, 'rename').mockImplementation(async (from, to) => {
      if (String(to).endsWith('server.crt')) throw Object.assign(new Error('simulated EIO'), { code: 'EIO' });
      return realRename(from, to);
    });
    await expect(writeKeyAndCertificate(second, { dir, force: true })).rejects.toThrow('simulated EIO');
    vi.restoreAllMocks();
    expect(await readFile(old.keyPath, 'utf8')).toBe(first.privateKeyPem);
    expect(await readFile(old.certificatePath, 'utf8')).toBe(first.certificatePem);
    expect((await readdir(dir)).sort()).toEqual(['server.crt', 'server.key']);
  });

  it('removes the new key when a first write fails at the certificate', async () => {
    const dir = freshDir();
    const realRename = fsPromises.rename.bind(fsPromises);
    vi.spyOn(fsPromises, 'rename').mockImplementation(async (from, to) => {
      if (String(to).endsWith('server.crt')) throw Object.assign(new Error('simulated EIO'), { code: 'EIO' });
      return realRename(from, to);
    });
    await expect(writeKeyAndCertificate(first, { dir })).rejects.toThrow('simulated EIO');
    vi.restoreAllMocks();
    expect(await readdir(dir)).toEqual([]);
  });
});
