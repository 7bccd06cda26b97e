// What a user installs: `npm pack` the package as published, then install that tarball into an empty folder
// with production dependencies only, offline (the package must need nothing from the registry). Used by
// `npm run bench` (the README's numbers) and by test/package-install.test.ts (the limits).
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Bytes on disk under a folder (file sizes, symlinks not followed). */
export function folderBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(full);
    else total += lstatSync(full).size;
  }
  return total;
}

/** Installed packages: every folder under node_modules (at any depth, scoped or not) with a package.json. */
export function installedPackages(nodeModules) {
  const names = [];
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === '.bin' || entry.name === '.cache') continue;
      const full = path.join(dir, entry.name);
      if (entry.name.startsWith('@')) {
        visit(full);
        continue;
      }
      names.push(path.relative(nodeModules, full));
      const nested = path.join(full, 'node_modules');
      try {
        if (lstatSync(nested).isDirectory()) visit(nested);
      } catch {
        // no nested node_modules
      }
    }
  };
  visit(nodeModules);
  return names;
}

/**
 * Pack `root` (without running its scripts: the build must already be there) and install the tarball in a new
 * empty folder. Returns the tarball's size and file list, the installed size and packages, and the folder.
 */
export function packAndInstall(root) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sf-setup-footprint-'));
  const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  const [packed] = JSON.parse(execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  const app = path.join(dir, 'app');
  execFileSync('mkdir', [app]);
  writeFileSync(path.join(app, 'package.json'), '{"name":"footprint-check","version":"1.0.0","private":true}\n');
  execFileSync(npm, ['install', '--omit=dev', '--offline', '--no-audit', '--no-fund', path.join(dir, packed.filename)], { cwd: app, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const nodeModules = path.join(app, 'node_modules');
  return {
    dir,
    app,
    tarballBytes: packed.size,
    files: packed.files.map((f) => f.path),
    installedBytes: folderBytes(nodeModules),
    packages: installedPackages(nodeModules),
    bin: path.join(nodeModules, '.bin', 'sf-setup'),
  };
}
