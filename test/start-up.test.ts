/**
 * What start-up costs, checked by what a command loads rather than by timing it (timings are for `npm run
 * bench`). Found by profiling and removed:
 * - yoga-layout (Ink's layout engine) read its inline WebAssembly through the global fetch, which loads
 *   undici: importWithoutFetch hides fetch while the screens load.
 * - string-width 8 compiles a \p{RGI_Emoji} regular expression on the first non-ASCII text (50-80 ms on
 *   Node 20): package.json's overrides give Ink string-width 7, whose emoji check costs a few ms.
 * - got loads http2-wrapper, which builds a TLS context and loads Node's http2 as it loads (~30 ms for every
 *   request-making command): the bundle puts src/salesforce/http2-unused.ts in its place.
 */
import { spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ROOT, cleanEnv, runCli, tempDir } from './helpers/cli.js';
import { orgProject } from './helpers/org.js';
import { Terminal, built, hasTmux } from './helpers/terminal.js';

const RECORDER = path.join(ROOT, 'test/fixtures/record-internals.cjs');
const UNDICI = 'internal/deps/undici/undici';
const HTTP2 = 'NativeModule http2';

async function internalsOf(run: (file: string) => Promise<void> | void): Promise<string[]> {
  const file = path.join(await tempDir('sf-setup-internals-'), 'internals.txt');
  await run(file);
  return (await readFile(file, 'utf8')).split('\n');
}

describe.skipIf(!built)('start-up costs of the screens', () => {
  it.skipIf(!hasTmux)('the wizard draws its first screen without loading undici (the real binary in a terminal)', async () => {
    const dir = await tempDir();
    const loaded = await internalsOf(async (file) => {
      const t = new Terminal(dir, ['init'], undefined, { NODE_OPTIONS: `--require=${RECORDER}`, RECORD_INTERNALS_FILE: file });
      onTestFinished(() => t.kill());
      await t.waitFor('Keys and certificate');
      t.keys('C-c');
      expect(await t.exitCode()).toBe(130);
    });
    expect(loaded.some((m) => m.includes('internal/tty'))).toBe(true);
    expect(loaded.filter((m) => m.includes(UNDICI))).toEqual([]);
  });

  it('importWithoutFetch: Ink loads without undici and fetch is put back; a plain import loads undici (the check can fail)', async () => {
    const dir = await tempDir();
    const script = path.join(dir, 'load.mjs');
    const screens = JSON.stringify(path.join(ROOT, 'dist/screens/index.js'));
    const loadInk = JSON.stringify(path.join(ROOT, 'dist/src/commands/load-ink.js'));
    await writeFile(
      script,
      [
        `const { importWithoutFetch } = await import(${loadInk});`,
        'const before = globalThis.fetch;',
        `if (process.argv[2] === 'plain') await import(${screens});`,
        `else await importWithoutFetch(() => import(${screens}));`,
        "if (globalThis.fetch !== before || typeof fetch !== 'function') throw new Error('fetch was not put back');",
        '',
      ].join('\n'),
    );
    const run = (mode: string) =>
      internalsOf((file) => {
        const r = spawnSync(process.execPath, [`--require=${RECORDER}`, script, mode], { env: cleanEnv({ RECORD_INTERNALS_FILE: file }), encoding: 'utf8' });
        expect(r.status, r.stderr).toBe(0);
      });
    expect((await run('guarded')).filter((m) => m.includes(UNDICI))).toEqual([]);
    expect((await run('plain')).filter((m) => m.includes(UNDICI)).length).toBeGreaterThan(0);
  });

  it('importWithoutFetch puts fetch back when the import fails', async () => {
    const { importWithoutFetch } = await import('../src/commands/load-ink.js');
    const before = globalThis.fetch;
    await expect(importWithoutFetch(() => Promise.reject(new Error('no such chunk')))).rejects.toThrow('no such chunk');
    expect(globalThis.fetch).toBe(before);
  });

  it('Ink measures text with string-width 7, and the bundle holds no \\p{RGI_Emoji} expression', async () => {
    const fromInk = createRequire(path.join(ROOT, 'node_modules/ink/package.json'));
    const pkg = JSON.parse(await readFile(path.join(path.dirname(fromInk.resolve('string-width')), 'package.json'), 'utf8')) as { version: string };
    expect(pkg.version).toMatch(/^7\./);
    const chunks = await readdir(path.join(ROOT, 'dist/bundle'));
    const texts = await Promise.all(chunks.map((c) => readFile(path.join(ROOT, 'dist/bundle', c), 'utf8')));
    // The Ink chunk is there (the check can fail), and no chunk has the expression.
    expect(texts.some((t) => t.includes('Raw mode is not supported'))).toBe(true);
    expect(texts.filter((t) => t.includes('RGI_Emoji'))).toEqual([]);
  });

  it('sf-setup test gets a token without loading http2 (the bundle has no http2-wrapper); got itself loads it (the check can fail)', async () => {
    const project = await orgProject({ scenario: 'ok' });
    onTestFinished(() => project.org.close());
    const loaded = await internalsOf(async (file) => {
      const r = await runCli(['test', '--json'], { cwd: project.dir, env: { NODE_OPTIONS: `--require=${RECORDER}`, RECORD_INTERNALS_FILE: file } });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
    });
    expect(loaded.some((m) => m.includes('NativeModule http'))).toBe(true);
    expect(loaded.filter((m) => m === HTTP2)).toEqual([]);
    const plain = await internalsOf((file) => {
      const r = spawnSync(process.execPath, [`--require=${RECORDER}`, '--input-type=module', '-e', "await import('got')"], { cwd: ROOT, env: cleanEnv({ RECORD_INTERNALS_FILE: file }), encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    });
    expect(plain.filter((m) => m === HTTP2)).toEqual([HTTP2]);
  });

  it('the bundle loads node:http and node:https with require, never as ES module imports (which load undici and http2 on Node 22+) (Node review)', async () => {
    const chunks = await readdir(path.join(ROOT, 'dist/bundle'));
    const texts = await Promise.all(chunks.filter((c) => c.endsWith('.js')).map(async (c) => [c, await readFile(path.join(ROOT, 'dist/bundle', c), 'utf8')] as const));
    const imports = texts.flatMap(([chunk, text]) => [...text.matchAll(/^import [^;\n]* from "(?:node:)?https?";?$/gm)].map((m) => `${chunk}: ${m[0]}`));
    expect(imports).toEqual([]);
    // The shims are what the bundle uses instead (the check can fail).
    expect(texts.some(([, text]) => text.includes('require")(') || /createRequire\)?\(import\.meta\.url\)\("node:http"\)/.test(text) || text.includes('("node:http")'))).toBe(true);
  });

  it('the stand-in for http2-wrapper refuses with a message if got is ever asked for HTTP/2', async () => {
    const { default: stub } = await import('../src/salesforce/http2-unused.js');
    expect(() => stub.auto).toThrow(/HTTP\/2 is not built into sf-setup/);
    expect(() => stub.globalAgent).toThrow(/http2: true/);
  });

  it.skipIf(!hasTmux)('init --plain asks its first question without loading Ink or React; the full-screen wizard does load them (the check can fail)', async () => {
    const tracer = path.join(ROOT, 'test/fixtures/trace-loads.mjs');
    const inkModules = async (args: string[], firstScreen: string) => {
      const dir = await tempDir();
      const file = path.join(dir, 'loads.txt');
      const t = new Terminal(dir, args, undefined, { NODE_OPTIONS: `--import=${tracer}`, TRACE_LOADS_FILE: file });
      onTestFinished(() => t.kill());
      await t.waitFor(firstScreen);
      t.keys('C-c');
      await t.exitCode();
      const urls = (await readFile(file, 'utf8')).split('\n').filter((u) => u.startsWith('file:'));
      const hits: string[] = [];
      for (const url of new Set(urls)) {
        const text = await readFile(new URL(url), 'utf8').catch(() => '');
        // Strings only Ink and React's runtime contain.
        if (text.includes('Raw mode is not supported') || text.includes('react.dev/errors')) hits.push(url);
      }
      return hits;
    };
    expect(await inkModules(['init', '--plain'], 'Key size')).toEqual([]);
    expect((await inkModules(['init'], 'Keys and certificate')).length).toBeGreaterThan(0);
  });
});
