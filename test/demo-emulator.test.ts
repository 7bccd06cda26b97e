import { spawn } from 'node:child_process';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv, hasStackTrace, runCli, tempDir } from './helpers/cli.js';
import { sharedKeyPair } from './helpers/org.js';

describe('sf-setup demo (no terminal: plain steps)', () => {
  it('ends with the success lines and the doctor\'s all-clear, exit 0', async () => {
    const result = await runCli(['demo'], { timeoutMs: 30_000 });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    for (const line of ['1/4 Keys and certificate', '2/4 App in Salesforce', '3/4 Configuration', '4/4 Token test']) expect(result.stdout).toContain(line);
    expect(result.stdout).toContain('✓ Authentication successful!');
    expect(result.stdout).toMatch(/✓ Token request/);
    expect(result.stdout).not.toMatch(/problem|warning/);
    const dir = /Files are in (\S+?):/.exec(result.stdout)?.[1];
    expect(dir).toBeTruthy();
    const config = JSON.parse(await readFile(path.join(dir!, '.sfconnect.json'), 'utf8')) as Record<string, unknown>;
    expect(config.tokenUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/services\/oauth2\/token$/);
    expect(result.stdout).not.toMatch(/PRIVATE KEY/);
  });

  it('--scenario ip_restricted ends with the IP diagnosis and exit 1', async () => {
    const result = await runCli(['demo', '--scenario', 'ip_restricted'], { timeoutMs: 30_000 });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/\[ip_restricted\]/);
    expect(result.stdout).toMatch(/Login IP Ranges/);
    expect(result.stdout).toMatch(/Relax IP restrictions/);
    expect(hasStackTrace(result.stdout + result.stderr)).toBe(false);
  });

  it('an unknown scenario is a usage error naming the choices', async () => {
    const result = await runCli(['demo', '--scenario', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown scenario "nope"/);
    expect(result.stderr).toMatch(/ip_restricted/);
  });
});

/** A folder with the shared key pair in certs/, for an emulator started by hand. */
async function folderWithKeys(): Promise<string> {
  const dir = await tempDir();
  const pair = await sharedKeyPair();
  await mkdir(path.join(dir, 'certs'), { mode: 0o700 });
  await writeFile(path.join(dir, 'certs/server.key'), pair.privateKeyPem, { mode: 0o600 });
  await writeFile(path.join(dir, 'certs/server.crt'), pair.certificatePem);
  return dir;
}

/** `sf-setup emulator --write-config` in `dir`, once it says it is listening; stop() sends Ctrl+C and gives its exit code. */
async function emulatorIn(dir: string): Promise<{ output(): string; stop(): Promise<number | null> }> {
  const emulator = spawn(process.execPath, [BIN, 'emulator', '--write-config'], { cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  emulator.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => emulator.on('close', resolve));
  const stop = () => {
    emulator.kill('SIGINT');
    return exited;
  };
  const started = Date.now();
  while (!/Requests are logged below/.test(out)) {
    if (Date.now() - started > 10_000) {
      await stop();
      throw new Error(`emulator did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { output: () => out, stop };
}

describe('sf-setup emulator, started by hand', () => {
  it('serves a real `sf-setup test` from another process and stops cleanly on Ctrl+C', async () => {
    const dir = await folderWithKeys();
    const emulator = await emulatorIn(dir);
    let code: number | null;
    try {
      expect(emulator.output()).toMatch(/uploaded to the emulated app/);
      const result = await runCli(['test'], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('✓ Authentication successful!');
      await new Promise((r) => setTimeout(r, 300));
      expect(emulator.output()).toMatch(/POST \/services\/oauth2\/token 200/);
    } finally {
      code = await emulator.stop();
    }
    expect(code).toBe(0);
    expect(emulator.output()).toMatch(/Emulated org stopped/);
  });

  it('--write-config beside a real org adds org "emulator" and leaves the real one as it was', async () => {
    const dir = await folderWithKeys();
    const real = { tokenUrl: 'https://acme.my.salesforce.com/services/oauth2/token', instanceUrl: 'https://acme.my.salesforce.com', clientId: '3MVG9realrealrealreal', username: 'real@acme.com', privateKeyPath: './certs/server.key' };
    await writeFile(path.join(dir, '.sfconnect.json'), JSON.stringify(real, null, 2));
    const emulator = await emulatorIn(dir);
    let code: number | null;
    try {
      expect(emulator.output()).toMatch(/Added org "emulator" to \.sfconnect\.json; the default org is unchanged/);
      expect(emulator.output()).toMatch(/sf-setup test --org emulator/);
      const config = JSON.parse(await readFile(path.join(dir, '.sfconnect.json'), 'utf8')) as { defaultOrg?: string; orgs: Record<string, Record<string, unknown>> };
      expect(config.orgs.default).toMatchObject(real);
      expect(config.defaultOrg ?? 'default').toBe('default');
      expect(config.orgs.emulator.tokenUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      const result = await runCli(['test', '--org', 'emulator'], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
    } finally {
      code = await emulator.stop();
    }
    expect(code).toBe(0);
  });

  it('--list names every scenario', async () => {
    const result = await runCli(['emulator', '--list']);
    expect(result.code).toBe(0);
    for (const name of ['ok', 'user_not_approved', 'key_mismatch', 'ip_restricted', 'clock_ahead', 'maintenance']) expect(result.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });
});

describe('sf-setup emulator --write-config where the config cannot be written', () => {
  it('stops the org and exits 2 with the cause (it used to keep listening)', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, '.sfconnect.json')); // a folder where the file should go
    const result = await runCli(['emulator', '--write-config', '--port', '0'], { cwd: dir, timeoutMs: 10_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\.sfconnect\.json/);
    expect(hasStackTrace(result.stderr)).toBe(false);
  });
});

describe('emulator --write-config: which org it writes (diff review)', () => {
  const real = { clientId: '3MVG9realrealreal', username: 'me@acme.com', privateKeyPath: './certs/server.key' };
  const emulated = { ...real, tokenUrl: 'http://127.0.0.1:4567/services/oauth2/token' };
  it.each([
    ['no config yet', undefined, undefined],
    ['an empty config', {}, undefined],
    ['a single-org config already on an emulator', emulated, undefined],
    ['a single-org config without tokenUrl (login.salesforce.com)', real, 'emulator'],
    ['a single-org config for a My Domain', { ...real, tokenUrl: 'https://acme.my.salesforce.com/services/oauth2/token' }, 'emulator'],
    ['one org and no defaultOrg', { orgs: { prod: { ...real, tokenUrl: 'https://acme.my.salesforce.com/services/oauth2/token' } } }, 'emulator'],
    ['several orgs and no defaultOrg', { orgs: { prod: real, uat: real } }, 'emulator'],
    ['a default org already on an emulator', { defaultOrg: 'local', orgs: { local: emulated, prod: real } }, undefined],
  ])('%s -> %s', async (_name, content, expected) => {
    const { emulatorOrgName } = await import('../src/commands/config.js');
    const dir = await tempDir();
    const file = path.join(dir, '.sfconnect.json');
    if (content !== undefined) await writeFile(file, JSON.stringify(content));
    expect(await emulatorOrgName(file)).toBe(expected);
  });
});

describe('demo where the temporary folder cannot be written (Node review)', () => {
  it('exit 2 with the cause and the fix, not "a bug"', async () => {
    const result = await runCli(['demo'], { env: { TMPDIR: '/nonexistent/sf-setup-tmp' }, timeoutMs: 30_000 });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/cannot make the demo's folder in \/nonexistent\/sf-setup-tmp \(ENOENT\)/);
    expect(result.stderr).toMatch(/fix: set TMPDIR to a folder you can write to/);
    expect(result.stderr).not.toMatch(/a bug/);
  });
});
