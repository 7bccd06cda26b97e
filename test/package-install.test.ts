import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packAndInstall } from './bench/footprint.mjs';
import { ROOT, cleanEnv } from './helpers/cli.js';

/**
 * The package as a user gets it: `npm pack`, then the tarball installed offline in an empty folder outside
 * this repository (so nothing from our node_modules can be reached). Issue 7's limit: under 15 MB installed.
 */
describe('the published package', () => {
  let installed: ReturnType<typeof packAndInstall>;
  beforeAll(() => {
    installed = packAndInstall(ROOT);
  }, 120_000);
  afterAll(() => {
    if (installed) rmSync(installed.dir, { recursive: true, force: true });
  });

  it('holds the executable, the bundle and the docs, and no sources, tests or TypeScript build', () => {
    expect(installed.files).toContain('bin/sf-setup.cjs');
    expect(installed.files).toContain('dist/bundle/cli.cjs');
    expect(installed.files).toContain('README.md');
    expect(installed.files).toContain('SECURITY.md');
    const stray = installed.files.filter((f) => /^(src|screens|test|dist\/src)\/|\.tsx?$|\.ci\//.test(f));
    expect(stray).toEqual([]);
  });

  it('installs as one package with no runtime dependencies, under 15 MB on disk', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(installed.packages).toEqual(['sf-setup']);
    expect(installed.installedBytes).toBeGreaterThan(100_000); // the bundle is really there
    expect(installed.installedBytes).toBeLessThan(15 * 1024 * 1024);
  });

  it('runs from the installed copy alone: --version, and the demo end to end against its emulated org', () => {
    const env = cleanEnv();
    const version = spawnSync(installed.bin, ['--version'], { cwd: installed.app, env, encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    const demo = spawnSync(installed.bin, ['demo'], { cwd: installed.app, env, encoding: 'utf8', timeout: 60_000 });
    expect(demo.stderr).not.toMatch(/Cannot find (module|package)/);
    expect(demo.status).toBe(0);
    expect(demo.stdout).toMatch(/✓ Token request \(JWT Bearer Flow\)/);
    expect(demo.stdout).toMatch(/\d+ passed/);
    expect(demo.stdout).not.toMatch(/\d+ problems?\b/);
  }, 90_000);
});
