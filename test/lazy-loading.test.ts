import { spawn, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, cleanEnv, tempDir } from './helpers/cli.js';
import { orgProject, type OrgProject } from './helpers/org.js';

const TRACE = path.resolve(new URL('./fixtures/trace-loads.mjs', import.meta.url).pathname);
const UI = /node_modules\/(ink|react|react-reconciler|@inquirer|yoga-layout)\//;
/** Strings only Ink, React's reconciler and @inquirer contain: they find the UI inside bundle chunks too. */
const UI_MARKERS = ['Raw mode is not supported', 'react.dev/errors', 'User force closed the prompt'];

/** The loaded modules that are (or contain) the UI, by path or by content. */
async function uiModules(modules: string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const url of modules) {
    if (UI.test(url)) {
      hits.push(url);
      continue;
    }
    if (!url.startsWith('file:')) continue;
    const text = await readFile(new URL(url), 'utf8').catch(() => '');
    if (UI_MARKERS.some((marker) => text.includes(marker))) hits.push(url);
  }
  return hits;
}

/** node-forge, by path or (inside a bundle chunk) by a message only its x509 module has. */
async function forgeModules(modules: string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const url of modules) {
    if (/node_modules\/node-forge\//.test(url)) hits.push(url);
    else if (url.startsWith('file:') && (await readFile(new URL(url), 'utf8').catch(() => '')).includes('Cannot read public key. OID is not RSA.')) hits.push(url);
  }
  return hits;
}

/** commander, by path or (inside a bundle chunk) by an error code only it has. */
async function commanderModules(modules: string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const url of modules) {
    if (/node_modules\/commander\//.test(url)) hits.push(url);
    else if (url.startsWith('file:') && (await readFile(new URL(url), 'utf8').catch(() => '')).includes('commander.unknownOption')) hits.push(url);
  }
  return hits;
}

const projects: OrgProject[] = [];
afterEach(async () => {
  while (projects.length) await projects.pop()!.org.close();
});

/**
 * Run a script with the module tracer; return the exit code and every resolved module URL. Asynchronous:
 * the emulated org answers from this process, so its event loop must stay free.
 */
async function loadedBy(args: string[], cwd: string, script = BIN) {
  const file = path.join(await tempDir('sf-setup-trace-'), 'loads.txt');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TRACE, script, ...args], { cwd, env: cleanEnv({ TRACE_LOADS_FILE: file }), stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve(status);
    });
  });
  const modules = (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  return { code, modules };
}

describe('headless commands never load the TUI', () => {
  it('--version loads no ES module (no module job) and nothing but the CommonJS entry; other commands do (the check can fail)', async () => {
    const recorder = path.resolve(new URL('./fixtures/record-internals.cjs', import.meta.url).pathname);
    const loads = async (args: string[]) => {
      const file = path.join(await tempDir('sf-setup-internals-'), 'loads.txt');
      const r = spawnSync(process.execPath, ['--require', recorder, BIN, ...args], { env: cleanEnv({ RECORD_INTERNALS_FILE: file }), encoding: 'utf8' });
      return { status: r.status, stdout: r.stdout, loaded: (await readFile(file, 'utf8')).split('\n') };
    };
    const version = await loads(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
    // No ES module ran: none filled in its import.meta (every chunk's banner reads it). The loader's own code is
    // no marker: Node 24 loads it at start for any script.
    expect(version.loaded.filter((m) => m.includes('internal/modules/esm/initialize_import_meta'))).toEqual([]);
    // Of sf-setup's own files: the executable and the entry, nothing else (not commander, not a chunk).
    expect(version.loaded.filter((m) => m.startsWith(ROOT) && !m.includes('/test/fixtures/')).map((m) => path.relative(ROOT, m))).toEqual(['bin/sf-setup.cjs', 'dist/bundle/cli.cjs']);
    const explain = await loads(['explain', 'ip restricted']);
    expect(explain.status).toBe(0);
    expect(explain.loaded.filter((m) => m.includes('internal/modules/esm/initialize_import_meta')).length).toBeGreaterThan(0);
  });

  it('--help does load the argument parser (the check above can fail)', async () => {
    const { code, modules } = await loadedBy(['--help'], process.cwd());
    expect(code).toBe(0);
    expect((await commanderModules(modules)).length).toBeGreaterThan(0);
    expect(await uiModules(modules)).toEqual([]);
  });

  it('test, doctor --json and explain do their work without ink, react or @inquirer', async () => {
    const p = await orgProject({ scenario: 'ok' });
    projects.push(p);
    for (const args of [['test'], ['doctor', '--json'], ['explain', 'ip restricted'], ['keygen', '--dir', 'more-certs']]) {
      const { code, modules } = await loadedBy(args, p.dir);
      expect(code, args.join(' ')).toBe(0);
      expect(modules.filter((m) => /\/dist\//.test(m)).length, args.join(' ')).toBeGreaterThan(1);
      expect(await uiModules(modules), args.join(' ')).toEqual([]);
      // node-forge costs ~50 ms to load; only making a certificate needs it.
      if (args[0] === 'keygen') expect((await forgeModules(modules)).length, 'keygen loads forge (the check can fail)').toBeGreaterThan(0);
      else expect(await forgeModules(modules), args.join(' ')).toEqual([]);
    }
  });

  it('the tracer does see Ink when the doctor screen is loaded (the check can fail)', async () => {
    const dir = await tempDir();
    const script = path.join(dir, 'load.mjs');
    // The doctor's screen, as the TypeScript build and as the bundle load it.
    await writeFile(script, `await import(${JSON.stringify(path.resolve('dist/screens/doctor/index.js'))});\n`);
    const tsc = await loadedBy([], dir, script);
    expect(tsc.code).toBe(0);
    expect((await uiModules(tsc.modules)).length).toBeGreaterThan(0);
    // In the bundle, Ink lives in its own chunks, and the markers find them.
    const { readdir } = await import('node:fs/promises');
    const chunks = (await readdir('dist/bundle')).map((f) => new URL(`file://${path.resolve('dist/bundle', f)}`).href);
    expect((await uiModules(chunks)).length).toBeGreaterThan(0);
    expect(await uiModules(chunks.filter((c) => c.endsWith('/cli.cjs') || c.endsWith('/program.js')))).toEqual([]);
  });
});
