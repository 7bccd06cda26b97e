import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, tempDir } from './helpers/cli.js';
import { orgProject, type OrgProject } from './helpers/org.js';

const TRACE = path.resolve(new URL('./fixtures/trace-loads.mjs', import.meta.url).pathname);
const UI = /node_modules\/(ink|react|react-reconciler|@inquirer|yoga-layout)\//;

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
  it('--version loads neither the UI nor got, forge or the commands', async () => {
    const { code, modules } = await loadedBy(['--version'], process.cwd());
    expect(code).toBe(0);
    expect(modules.some((m) => m.includes('/dist/src/cli.js'))).toBe(true);
    expect(modules.filter((m) => UI.test(m))).toEqual([]);
    expect(modules.filter((m) => /node_modules\/(got|node-forge)\//.test(m))).toEqual([]);
    expect(modules.filter((m) => m.includes('/dist/src/commands/'))).toEqual([]);
  });

  it('test, doctor --json and explain do their work without ink, react or @inquirer', async () => {
    const p = await orgProject({ scenario: 'ok' });
    projects.push(p);
    for (const args of [['test'], ['doctor', '--json'], ['explain', 'ip restricted'], ['keygen', '--dir', 'more-certs']]) {
      const { code, modules } = await loadedBy(args, p.dir);
      expect(code, args.join(' ')).toBe(0);
      expect(modules.some((m) => m.includes('/dist/src/commands/')), args.join(' ')).toBe(true);
      expect(modules.filter((m) => UI.test(m)), args.join(' ')).toEqual([]);
    }
  });

  it('the tracer does see Ink when the doctor screen is loaded (the check can fail)', async () => {
    const dir = await tempDir();
    const script = path.join(dir, 'load.mjs');
    await writeFile(script, `await import(${JSON.stringify(path.resolve('dist/screens/doctor/index.js'))});\n`);
    const { code, modules } = await loadedBy([], dir, script);
    expect(code).toBe(0);
    expect(modules.some((m) => UI.test(m))).toBe(true);
  });
});
