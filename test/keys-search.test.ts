/**
 * keygen's head start (src/keys/search.ts): which command lines the entry point starts the key search for,
 * and that the search started is the one keygen uses. The binary's side is in cli-basics.test.ts.
 */
import { createPublicKey } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyAndCertificate } from '../src/keys/index.js';
import { KEYGEN_OPTIONS, keygenWillSearch, startSearchEarly, takeStartedSearch } from '../src/keys/search.js';
import { buildProgram } from '../src/program.js';
import { tempDir } from './helpers/cli.js';

describe('keygenWillSearch: only a keygen that will search for a 2048-bit key', () => {
  it.each([
    [['keygen'], true],
    [['keygen', '--force', '--json'], true],
    [['keygen', '--bits', '2048', '--days', '30'], true],
    [['keygen', '--bits=2048', '--days=30', '--subject', 'CN=a,O=b'], true],
    [['keygen', '--no-color', '--dir', 'elsewhere'], true],
    [['keygen', '--bits', '4096'], false],
    [['keygen', '--bits=3072'], false],
    [['keygen', '--help'], false],
    [['keygen', '-h'], false],
    [['keygen', '--unknown'], false],
    [['keygen', 'stray'], false],
    [['keygen', '--dir'], false],
    [['keygen', '--dir='], false],
    [['keygen', '--force=yes'], false],
    [['--no-color', 'keygen'], false],
    [['init'], false],
    [['rotate'], false],
    [[], false],
  ])('%j: %s', async (argv, expected) => {
    expect(keygenWillSearch(argv, await tempDir())).toBe(expected);
  });

  it('not where the key or the certificate exists (keygen will refuse), unless --force; --dir is read relative to cwd', async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'certs'));
    await writeFile(path.join(cwd, 'certs', 'server.crt'), 'x');
    expect(keygenWillSearch(['keygen'], cwd)).toBe(false);
    expect(keygenWillSearch(['keygen', '--force'], cwd)).toBe(true);
    expect(keygenWillSearch(['keygen', '--dir', 'other'], cwd)).toBe(true);
    await mkdir(path.join(cwd, 'other'));
    await writeFile(path.join(cwd, 'other', 'server.key'), 'x');
    expect(keygenWillSearch(['keygen', '--dir=other'], cwd)).toBe(false);
    expect(keygenWillSearch(['keygen', '--dir', path.join(cwd, 'other')], '/')).toBe(false);
  });

  it("knows every keygen option, and which take a value, as program.ts defines them", () => {
    const program = buildProgram();
    const keygen = program.commands.find((c) => c.name() === 'keygen')!;
    const options = [...keygen.options, ...program.options.filter((o) => o.long !== '--version')];
    expect(Object.fromEntries(options.map((o) => [o.long, o.required || o.optional]))).toEqual(KEYGEN_OPTIONS);
  });
});

describe('the search started early', () => {
  it('is the one generateKeyAndCertificate uses, once; the next pair gets a search of its own', async () => {
    const early = startSearchEarly(['keygen'], await tempDir());
    expect(early).toBeDefined();
    const pair = await generateKeyAndCertificate();
    expect(pair.privateKeyPem).toBe((await early!).privateKey);
    expect(takeStartedSearch(2048)).toBeUndefined();
    const next = await generateKeyAndCertificate();
    expect(next.privateKeyPem).not.toBe(pair.privateKeyPem);
    expect(createPublicKey(next.privateKeyPem).asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('is kept for its own size only, and none is started for a run that does not want it', async () => {
    expect(startSearchEarly(['keygen', '--bits', '4096'], await tempDir())).toBeUndefined();
    expect(takeStartedSearch(2048)).toBeUndefined();
    const early = startSearchEarly(['keygen'], await tempDir());
    expect(takeStartedSearch(3072)).toBeUndefined();
    expect(takeStartedSearch(2048)).toBe(early);
    await early;
  });
});
