/**
 * File faults (issue 6): a read-only folder, a full disk, a config edited while sf-setup updates it, Ctrl+C
 * and SIGTERM in the middle of writing a key pair or a config (the real binary, killed), and two runs at
 * once. The promise each time: the old files intact or the new ones complete, never half-written, never a
 * key beside another key's certificate, no temporary file left behind, one clear line.
 */
import { spawn } from 'node:child_process';
import fs, { watch } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeConfig } from '../src/config/index.js';
import { saveOrgConfig } from '../src/commands/config.js';
import { UserError } from '../src/errors.js';
import { generateKeyAndCertificate, keyMatchesCertificate, loadCertificate, loadPrivateKey, writeKeyAndCertificate, type GeneratedKeyPair } from '../src/keys/index.js';
import { BIN, cleanEnv, hasStackTrace, tempDir } from './helpers/cli.js';
import { giveToUser, leftovers, listFiles, runBinary } from './helpers/hardening.js';

let pairA: GeneratedKeyPair;
let pairB: GeneratedKeyPair;
beforeAll(async () => {
  [pairA, pairB] = await Promise.all([generateKeyAndCertificate({ bits: 2048, days: 30 }), generateKeyAndCertificate({ bits: 2048, days: 30 })]);
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** The pair in a folder: both files present, the key matching the certificate; its fingerprint. */
function pairIn(dir: string): string {
  const key = loadPrivateKey({ path: path.join(dir, 'server.key') });
  const certificate = loadCertificate({ path: path.join(dir, 'server.crt') });
  expect(keyMatchesCertificate(key, certificate), `mismatched pair in ${dir}`).toBe(true);
  expect(fs.statSync(path.join(dir, 'server.key')).mode & 0o777).toBe(0o600);
  return certificate.fingerprint256;
}

const config = {
  instanceUrl: 'https://acme.my.salesforce.com',
  apiVersion: 'v59.0',
  authType: 'jwt',
  tokenUrl: 'https://acme.my.salesforce.com/services/oauth2/token',
  clientId: '3MVG9abcdefghijklmnop',
  username: 'me@acme.com',
  privateKeyPath: './certs/server.key',
  algorithm: 'RS256',
};

describe('a read-only folder', () => {
  it('keygen: exit 2, "cannot write ... permission denied", nothing written', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'certs'));
    await giveToUser(dir);
    await chmod(path.join(dir, 'certs'), 0o500);
    const result = await runBinary(['keygen'], { cwd: dir, asUser: true });
    expect(result.code, result.stderr).toBe(2);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(result.stderr).toMatch(/^✗ cannot write .*certs.*: permission denied \(EACCES\)\n {2}fix: check the permissions of /);
    await chmod(path.join(dir, 'certs'), 0o700);
    expect(await listFiles(path.join(dir, 'certs'))).toEqual([]);
  });

  it('config: exit 2, nothing written', async () => {
    const dir = await tempDir();
    await giveToUser(dir);
    await chmod(dir, 0o500);
    const result = await runBinary(['config', '--client-id', '3MVG9abcdefghijk', '--username', 'me@acme.com'], { cwd: dir, asUser: true });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/^✗ cannot write .*\.sfconnect\.json: permission denied \(EACCES\)\n {2}fix: /);
    await chmod(dir, 0o700);
    expect(await listFiles(dir)).toEqual([]);
  });
});

describe('a full disk (a write that fails with ENOSPC)', () => {
  const diskFull = () => {
    const realOpen = fs.promises.open;
    return vi.spyOn(fs.promises, 'open').mockImplementation(async (...args: Parameters<typeof realOpen>) => {
      const handle = await realOpen(...args);
      handle.writeFile = async () => {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      };
      return handle;
    });
  };

  it('a key pair: write_failed "the disk is full"; the old pair stays, nothing else is left', async () => {
    const dir = await tempDir();
    await writeKeyAndCertificate(pairA, { dir });
    const before = await listFiles(dir);
    diskFull();
    const failure = await writeKeyAndCertificate(pairB, { dir, force: true }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UserError);
    expect(failure).toMatchObject({ code: 'write_failed' });
    expect((failure as UserError).message).toMatch(/the disk is full \(ENOSPC\)/);
    expect((failure as UserError).fix).toMatch(/free some disk space/);
    vi.restoreAllMocks();
    expect(await listFiles(dir)).toEqual(before);
    expect(pairIn(dir)).toBe(loadCertificate({ data: pairA.certificatePem }).fingerprint256);
  });

  it('a config update: the old config stays byte for byte', async () => {
    const dir = await tempDir();
    const file = path.join(dir, '.sfconnect.json');
    const text = `${JSON.stringify(config, null, 2)}\n`;
    await writeFile(file, text);
    diskFull();
    await expect(writeConfig(file, { values: { apiVersion: 'v60.0' } })).rejects.toMatchObject({ code: 'write_failed' });
    vi.restoreAllMocks();
    expect(await readFile(file, 'utf8')).toBe(text);
    expect(await listFiles(dir)).toEqual(['.sfconnect.json']);
  });
});

describe('a config changed between read and write', () => {
  it("saveOrgConfig: an edit made after sf-setup read the file stops the write (config_changed) and the edit survives", async () => {
    const dir = await tempDir();
    const file = path.join(dir, '.sfconnect.json');
    await writeFile(file, JSON.stringify(config, null, 2));
    const edited = JSON.stringify({ ...config, username: 'someone.else@acme.com' }, null, 2);
    const realReadFile = fs.promises.readFile;
    let reads = 0;
    vi.spyOn(fs.promises, 'readFile').mockImplementation((async (...args: Parameters<typeof realReadFile>) => {
      const content = await realReadFile(...args);
      // Right after sf-setup's first read, an editor saves the file.
      if (String(args[0]) === file && ++reads === 1) fs.writeFileSync(file, edited);
      return content;
    }) as typeof realReadFile);
    const failure = await saveOrgConfig({ file, values: { apiVersion: 'v60.0' } }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'config_changed' });
    expect((failure as UserError).message).toMatch(/changed while sf-setup was updating it; nothing was written/);
    vi.restoreAllMocks();
    expect(await readFile(file, 'utf8')).toBe(edited);
  });
});

/** Spawn the binary and kill it with `signal` when `trigger` fires (a file event in `watchDir`, or a delay). */
function runAndKill(args: string[], cwd: string, signal: NodeJS.Signals, trigger: { watchDir: string; match: RegExp } | { delayMs: number }): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let killed = false;
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const kill = () => {
      if (killed || child.exitCode !== null) return;
      killed = true;
      child.kill(signal);
    };
    let watcher: fs.FSWatcher | undefined;
    let timer: NodeJS.Timeout | undefined;
    if ('watchDir' in trigger) {
      watcher = watch(trigger.watchDir, (_event, name) => {
        if (name && trigger.match.test(name)) kill();
      });
    } else {
      timer = setTimeout(kill, trigger.delayMs);
    }
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code, sig) => {
      watcher?.close();
      clearTimeout(timer);
      clearTimeout(guard);
      resolve({ code, signal: sig, stderr, killed });
    });
  });
}

describe('killed in the middle (the real binary)', () => {
  const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  // 128 + the signal's number, as a shell reports a process the signal ended.
  const CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

  it.each(SIGNALS)('keygen --force, %s the moment a temporary file appears: old pair or new pair, whole, and no temporary file left', async (signal) => {
    const dir = await tempDir();
    const certs = path.join(dir, 'certs');
    await writeKeyAndCertificate(pairA, { dir: certs });
    // Kill at each step in turn: the first temporary file, the staged key, the staged certificate. Before the
    // last staged file is complete the old pair stays; after it, both renames run to the end: either way the
    // pair on disk is whole and matching.
    let keptOld = 0;
    for (const match of [/\.tmp$/, /^\.server\.key\.[0-9a-f]+\.new$/, /^\.server\.crt\.[0-9a-f]+\.new$/]) {
      const old = pairIn(certs);
      const result = await runAndKill(['keygen', '--force'], dir, signal, { watchDir: certs, match });
      expect(hasStackTrace(result.stderr), result.stderr).toBe(false);
      if (result.killed) expect(result.code, `${match}: ${result.stderr}`).toBe(CODES[signal]);
      expect(leftovers(await listFiles(certs)), `${match}`).toEqual([]);
      if (pairIn(certs) === old) keptOld++;
    }
    expect(keptOld, 'at least one interrupt stopped the write before anything changed').toBeGreaterThan(0);
  });

  it('keygen --force killed at random moments (bounded): never a half-written or mismatched pair, no leftovers', async () => {
    const dir = await tempDir();
    const certs = path.join(dir, 'certs');
    await writeKeyAndCertificate(pairA, { dir: certs });
    for (let i = 0; i < 8; i++) {
      const delayMs = 150 + Math.floor(Math.random() * 450);
      const result = await runAndKill(['keygen', '--force'], dir, i % 2 ? 'SIGINT' : 'SIGTERM', { delayMs });
      if (result.code === null) expect(result.signal).toBe(i % 2 ? 'SIGINT' : 'SIGTERM');
      else expect([0, i % 2 ? 130 : 143], `after ${delayMs} ms: ${result.stderr}`).toContain(result.code);
      expect(leftovers(await listFiles(certs)), `after ${delayMs} ms`).toEqual([]);
      pairIn(certs);
      // Every backup kept is a whole key or certificate.
      for (const backup of (await listFiles(certs)).filter((f) => f.endsWith('.bak'))) {
        const text = await readFile(path.join(certs, backup), 'utf8');
        expect(text).toMatch(/^-----BEGIN (PRIVATE KEY|CERTIFICATE)-----\n[\s\S]+-----END (PRIVATE KEY|CERTIFICATE)-----\n$/);
      }
    }
  });

  it('config killed at random moments: the file is always the old JSON or the new, never half, no leftovers', async () => {
    const dir = await tempDir();
    const file = path.join(dir, '.sfconnect.json');
    await writeFile(file, `${JSON.stringify(config, null, 2)}\n`);
    for (let i = 0; i < 8; i++) {
      const version = `v${60 + i}.0`;
      const delayMs = 100 + Math.floor(Math.random() * 250);
      const result = await runAndKill(['config', '--api-version', version], dir, i % 2 ? 'SIGINT' : 'SIGTERM', { delayMs });
      // Killed while Node was still starting (no command running, nothing being written): the default death.
      if (result.code === null) expect(result.signal).toBe(i % 2 ? 'SIGINT' : 'SIGTERM');
      else expect([0, i % 2 ? 130 : 143]).toContain(result.code);
      const written = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      expect(written.clientId).toBe(config.clientId);
      expect(String(written.apiVersion)).toMatch(/^v\d+\.0$/);
      if (result.code === 0) expect(written.apiVersion).toBe(version);
      expect(leftovers(await listFiles(dir))).toEqual([]);
    }
  });

  it('config, SIGTERM the moment its temporary file appears: the old config is intact and the temporary file is gone', async () => {
    const dir = await tempDir();
    const file = path.join(dir, '.sfconnect.json');
    const text = `${JSON.stringify(config, null, 2)}\n`;
    await writeFile(file, text);
    const result = await runAndKill(['config', '--api-version', 'v61.0'], dir, 'SIGTERM', { watchDir: dir, match: /^\.\.sfconnect\.json\..*\.tmp$|^\.sfconnect\.json\..*\.tmp$/ });
    expect([0, 143]).toContain(result.code);
    const now = await readFile(file, 'utf8');
    if (result.code === 143) expect(now).toBe(text);
    else expect(JSON.parse(now)).toMatchObject({ apiVersion: 'v61.0' });
    expect(leftovers(await listFiles(dir))).toEqual([]);
  });
});

describe('two runs at once', () => {
  it('in one process: two key pairs written to the same folder at once -> one wins whole, the other is refused', async () => {
    const dir = await tempDir();
    const results = await Promise.allSettled([writeKeyAndCertificate(pairA, { dir }), writeKeyAndCertificate(pairB, { dir })]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toBeInstanceOf(UserError);
    expect((lost[0].reason as UserError).code).toMatch(/^key_(busy|exists)$/);
    expect(pairIn(dir)).toBe((won[0] as PromiseFulfilledResult<{ fingerprint: string }>).value.fingerprint);
    expect(leftovers(await listFiles(dir))).toEqual([]);
  });

  it('in one process: two forced rotations at once never leave one key beside the other certificate', async () => {
    const dir = await tempDir();
    await writeKeyAndCertificate(pairA, { dir });
    const results = await Promise.allSettled([writeKeyAndCertificate(pairB, { dir, force: true }), writeKeyAndCertificate(pairA, { dir, force: true })]);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    pairIn(dir);
    expect(leftovers(await listFiles(dir))).toEqual([]);
  });

  it('the binary: two `keygen --json` at once in one folder -> one pair, matching the run that reports success; the other exits 2', async () => {
    for (let round = 0; round < 2; round++) {
      const dir = await tempDir();
      const runs = await Promise.all([runBinary(['keygen', '--json'], { cwd: dir }), runBinary(['keygen', '--json'], { cwd: dir })]);
      const winners = runs.filter((r) => r.code === 0);
      expect(winners, runs.map((r) => r.stdout + r.stderr).join('\n')).toHaveLength(1);
      const loser = runs.find((r) => r.code !== 0)!;
      expect(loser.code).toBe(2);
      expect(hasStackTrace(loser.stdout + loser.stderr)).toBe(false);
      expect(JSON.parse(loser.stdout)).toMatchObject({ ok: false, code: expect.stringMatching(/^key_(busy|exists)$/) });
      expect(pairIn(path.join(dir, 'certs'))).toBe((JSON.parse(winners[0].stdout) as { fingerprint: string }).fingerprint);
      expect(leftovers(await listFiles(dir))).toEqual([]);
    }
  });

  it('the binary: two `config` runs at once -> valid JSON holding what each successful run wrote', async () => {
    const dir = await tempDir();
    const file = path.join(dir, '.sfconnect.json');
    await writeFile(file, `${JSON.stringify(config, null, 2)}\n`);
    const runs = await Promise.all([
      runBinary(['config', '--api-version', 'v61.0'], { cwd: dir }),
      runBinary(['config', '--username', 'other@acme.com'], { cwd: dir }),
    ]);
    for (const run of runs) {
      expect([0, 2], run.stderr).toContain(run.code);
      if (run.code === 2) expect(run.stderr).toMatch(/changed while sf-setup was updating it|run the command again/);
    }
    const written = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(written.clientId).toBe(config.clientId);
    expect(leftovers(await listFiles(dir))).toEqual([]);
    // The last writer wins only when it read the file after the first wrote it; a lost update is refused, not silent.
    const okRuns = runs.map((r, i) => (r.code === 0 ? i : -1)).filter((i) => i >= 0);
    if (okRuns.length === 2) expect([written.apiVersion, written.username]).toEqual(['v61.0', 'other@acme.com']);
  });
});

describe('a config or .gitignore that is not a regular file (security review)', () => {
  // A FIFO with no writer blocked the read (and with it Ctrl+C and SIGTERM) for ever; a folder was "a bug".
  it.each([
    [['doctor', '--offline', '--config', 'fifo'], /fifo is not a regular file/],
    [['test', '--config', 'fifo'], /fifo is not a regular file/],
    [['config', '--config', 'fifo', '--username', 'me@acme.com'], /fifo is not a regular file/],
  ])('%j: exit 2 at once, with the cause', async (args, message) => {
    const dir = await tempDir();
    await new Promise<void>((resolve, reject) => spawn('mkfifo', [path.join(dir, 'fifo')]).on('close', (code) => (code === 0 ? resolve() : reject(new Error('mkfifo')))));
    const result = await runBinary(args, { cwd: dir, timeoutMs: 10_000 });
    expect(result.signal, 'it ended by itself').toBeNull();
    expect(result.code, result.stderr).toBe(2);
    // The doctor reports it in its list, on stdout; the others on stderr.
    expect(result.stdout + result.stderr).toMatch(message);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });

  it.each(['fifo', 'folder'])('keygen with a .gitignore that is a %s: exit 2, says the key pair was written and what to do', async (kind) => {
    const dir = await tempDir();
    if (kind === 'folder') await mkdir(path.join(dir, '.gitignore'));
    else await new Promise<void>((resolve) => spawn('mkfifo', [path.join(dir, '.gitignore')]).on('close', () => resolve()));
    const result = await runBinary(['keygen'], { cwd: dir, timeoutMs: 15_000 });
    expect(result.signal, 'it ended by itself').toBeNull();
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/\.gitignore is not a regular file/);
    expect(result.stderr).toMatch(/certs\/server\.key and certs\/server\.crt were written/);
    expect(result.stderr).not.toMatch(/a bug/);
    expect(await listFiles(path.join(dir, 'certs'))).toEqual(['server.crt', 'server.key']);
  });
});

describe('a config that is a symbolic link (security review)', () => {
  it('config, use and doctor --fix write through the link: the link stays, its target gets the change', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'shared'));
    const real = path.join(dir, 'shared', 'real.json');
    await writeFile(real, JSON.stringify({ clientId: '3MVG9abcdefghijklmnopqrstu', username: 'a@b.com', tokenUrl: 'https://login.salesforce.com/services/oauth2/token', privateKeyPath: './certs/server.key' }, null, 2));
    fs.symlinkSync('shared/real.json', path.join(dir, '.sfconnect.json'));
    const result = await runBinary(['config', '--username', 'new@b.com'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(fs.lstatSync(path.join(dir, '.sfconnect.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(real, 'utf8'))).toMatchObject({ username: 'new@b.com' });
    // No temporary file left beside the link or the target.
    expect(leftovers(await listFiles(dir))).toEqual([]);
  });

  it('a .gitignore that is a symbolic link (dotfiles) keeps being one', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'ignore.txt'), 'node_modules/\n');
    fs.symlinkSync('ignore.txt', path.join(dir, '.gitignore'));
    expect((await runBinary(['keygen'], { cwd: dir })).code).toBe(0);
    expect(fs.lstatSync(path.join(dir, '.gitignore')).isSymbolicLink()).toBe(true);
    expect(await readFile(path.join(dir, 'ignore.txt'), 'utf8')).toMatch(/^node_modules\/\n[\s\S]*certs\/\*\.key$/m);
  });
});

describe('a lock left behind whose pid now belongs to another process (security review)', () => {
  it('older than ten minutes: taken over; fresh: refused, the fix naming the lock file to delete', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, '.sfconnect.json'), JSON.stringify({ clientId: '3MVG9abcdefghijklmnopqrstu', username: 'a@b.com', tokenUrl: 'https://login.salesforce.com/services/oauth2/token', privateKeyPath: './certs/server.key' }));
    const lock = path.join(dir, '.sfconnect.json.lock');
    // pid 1 is always alive (init), like a pid reused after a kill -9 in a container.
    await writeFile(lock, '1');
    const fresh = await runBinary(['config', '--username', 'b@b.com'], { cwd: dir, timeoutMs: 20_000 });
    expect(fresh.code).toBe(2);
    expect(fresh.stderr).toMatch(/if no sf-setup is running, delete .*\.sfconnect\.json\.lock/);
    const hourAgo = new Date(Date.now() - 3_600_000);
    fs.utimesSync(lock, hourAgo, hourAgo);
    const stale = await runBinary(['config', '--username', 'b@b.com'], { cwd: dir, timeoutMs: 20_000 });
    expect(stale.code, stale.stderr).toBe(0);
    expect(JSON.parse(await readFile(path.join(dir, '.sfconnect.json'), 'utf8'))).toMatchObject({ username: 'b@b.com' });
    expect(fs.existsSync(lock)).toBe(false);
  });
});
