import { spawn, spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync } from 'node:fs';
import os from 'node:os';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, cleanEnv, hasStackTrace, runCli, tempDir } from './helpers/cli.js';

describe('sf-setup binary: help, version, usage errors', () => {
  it('--version prints the package version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    // A bare --version or -V is answered before the parser loads; with other arguments, commander answers.
    for (const args of [['--version'], ['-V'], ['--no-color', '--version'], ['doctor', '--version']]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout, args.join(' ')).toBe(`${pkg.version}\n`);
      expect(result.stderr, args.join(' ')).toBe('');
    }
  });

  it.each(['keygen', 'config', 'test', 'doctor', 'explain', 'use', 'emulator', 'demo', 'init'])('%s --help describes the command', async (command) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`Usage: sf-setup ${command}`));
    expect(result.stdout).toMatch(/--help/);
  });

  it('an unknown command or option is exit 2 with a hint, no stack trace', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command|too many arguments/);
    const badOption = await runCli(['test', '--bogus']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/unknown option '--bogus'/);
    expect(badOption.stderr).toMatch(/--help/);
    const badBits = await runCli(['keygen', '--bits', '1024']);
    expect(badBits.code).toBe(2);
    expect(badBits.stderr).toMatch(/2048, 3072, 4096/);
    for (const r of [unknown, badOption, badBits]) expect(hasStackTrace(r.stderr)).toBe(false);
  });
});

describe('a reader that closes the pipe early (sf-setup ... | head)', () => {
  /** Run the binary with stdout (and stderr, when asked) closed on our side before the child writes a byte. */
  function runWithClosedPipe(args: string[], closeStderr: boolean): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let stderr = '';
      if (closeStderr) child.stderr.destroy();
      else child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
  }

  it.each([
    [['keygen', '--help'], 0],
    [['explain', 'invalid_grant'], 0],
    [['explain', 'no such error text at all'], 1],
  ] as const)('%j ends quietly with its own exit code, no EPIPE stack trace', async (args, code) => {
    const result = await runWithClosedPipe([...args], false);
    expect(result.stderr).not.toMatch(/EPIPE|Unhandled 'error' event/);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(result.code).toBe(code);
  });

  it.skipIf(!existsSync('/dev/full'))('a full disk on stdout (> /dev/full): exit 1 and one line on stderr, no stack trace', async () => {
    const full = openSync('/dev/full', 'w');
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'explain', '--json', 'ip restricted'], { env: cleanEnv(), stdio: ['ignore', full, 'pipe'] });
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    closeSync(full);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('✗ cannot write the output: ENOSPC\n');
  });

  it('with stderr closed too, an error still ends with its exit code', async () => {
    const result = await runWithClosedPipe(['keygen', '--bits', '1024'], true);
    expect(result.code).toBe(2);
  });
});

const hasScript = spawnSync('script', ['--version']).status === 0;

describe.skipIf(!hasScript)('a terminal that reports no size (a pty opened by `script`: 0x0)', () => {
  const inPty = (args: string[], cwd: string) =>
    spawnSync('script', ['-qec', [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' '), '/dev/null'], { cwd, env: cleanEnv(), input: '', encoding: 'utf8' });

  it('the wizard says why it will not start, and the doctor prints text instead of a screen', async () => {
    const dir = await tempDir();
    const wizard = inPty(['init'], dir);
    expect(wizard.status).toBe(2);
    expect(wizard.stdout).toContain('The sf-setup wizard needs a terminal (the terminal reports no size)');
    const doctor = inPty(['doctor', '--offline'], dir);
    expect(doctor.stdout).toMatch(/sf-setup doctor.*\(offline: local checks only\)/);
    expect(doctor.stdout).not.toMatch(/\u001b\[2J/);
  });
});

describe('usage errors', () => {
  it.each([
    [['test', '--json', '--bogus'], /unknown option '--bogus'/],
    [['test', '--json', 'extra'], /too many arguments/],
    [['test', '--json', '--timeout', '0'], /--timeout must be a positive number/],
    [['test', '--json', '--timeout', '3000000'], /--timeout must be at most 600 seconds/],
    [['keygen', '--json', '--bits', '1024'], /Allowed choices are 2048, 3072, 4096/],
    [['explain', '--json'], /missing required argument/],
  ])('%j: exit 2, the message on stderr, and with --json the same as JSON on stdout', async (args, message) => {
    const result = await runCli(args, { cwd: await tempDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, code: 'usage', message: expect.stringMatching(message) });
  });

  it('without --json, stdout stays empty', async () => {
    const result = await runCli(['test', '--bogus'], { cwd: await tempDir() });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});

describe('a mistyped command', () => {
  it('is named, with the command it resembles, exit 2 (not "too many arguments for init")', async () => {
    const typo = await runCli(['explian', 'ip restricted']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe('✗ unknown command "explian"\n  fix: did you mean `sf-setup explain`? (`sf-setup --help` lists the commands)\n');
    const json = await runCli(['--no-color', 'docter', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ ok: false, code: 'usage', message: 'unknown command "docter"', fix: ['did you mean `sf-setup doctor`? (`sf-setup --help` lists the commands)'] });
    const unlike = await runCli(['weather']);
    expect(unlike.stderr).toBe('✗ unknown command "weather"\n  fix: run `sf-setup --help` for the commands\n');
    // The real commands and help are untouched.
    expect((await runCli(['help'])).code).toBe(0);
    expect((await runCli(['explain', 'ip restricted'])).code).toBe(0);
  });

  it('closest: a typo or a swapped pair of letters, not a different word', async () => {
    const { closest } = await import('../src/output/closest.js');
    const names = ['init', 'keygen', 'config', 'test', 'doctor', 'explain', 'rotate', 'emulator', 'demo', 'use'];
    expect(closest('explian', names)).toBe('explain');
    expect(closest('DOCTRO', names)).toBe('doctor');
    expect(closest('kegen', names)).toBe('keygen');
    expect(closest('weather', names)).toBeUndefined();
  });
});

describe('sf-setup explain', () => {
  it('explains a pasted error and exits 0', async () => {
    const result = await runCli(['explain', 'invalid_grant:', 'ip', 'restricted']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ip_restricted/);
    expect(result.stdout).toMatch(/Login IP Ranges/);
    expect(result.stdout).toMatch(/Relax IP restrictions/);
  });

  it('--json gives code, title, causes and fix', async () => {
    const result = await runCli(['explain', '--json', '{"error":"invalid_grant","error_description":"user hasn\'t approved this consumer"}']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { ok: boolean; code: string; title: string; causes: string[]; fix: string[]; fromErrorValueOnly: boolean };
    expect(json).toMatchObject({ ok: true, fromErrorValueOnly: false });
    expect(json.code).toBe('user_not_approved');
    expect(json.title).toBeTruthy();
    expect(json.causes.length).toBeGreaterThan(1);
    expect(json.fix.join(' ')).toMatch(/Admin approved users are pre-authorized/);
  });

  it('reads stdin with -', async () => {
    const result = await runCli(['explain', '-'], { input: 'OAUTH_APPROVAL_ERROR_GENERIC\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/app_not_installed/);
    expect(result.stdout).toMatch(/Connected Apps OAuth Usage/);
  });

  it('from an error value alone it says the entry is its most common case, and the causes are hedged', async () => {
    const result = await runCli(['explain', 'invalid_request']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/With no description, "invalid_request" most often means this:/);
    expect(result.stdout).toMatch(/Likely causes/);
    expect(JSON.parse((await runCli(['explain', '--json', 'invalid_request'])).stdout)).toMatchObject({ ok: true, code: 'scope_missing', fromErrorValueOnly: true });
     // Words that are not Salesforce's: no error or description in the JSON, and looseMatch says why.
    expect(JSON.parse((await runCli(['explain', '--json', 'blocked by login hours'])).stdout)).toMatchObject({ ok: true, code: 'ip_restricted', error: null, errorDescription: null, looseMatch: true });
    expect(JSON.parse((await runCli(['explain', '--json', 'invalid_grant: ip restricted'])).stdout)).toMatchObject({ errorDescription: 'ip restricted', looseMatch: false });
  });

  it('explain - reads UTF-16 (what Windows PowerShell 5.1 writes with >) as well as UTF-8', async () => {
    const { decodePaste } = await import('../src/commands/explain.js');
    const text = 'invalid_grant: user hasn\u2019t approved this consumer\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const result = spawnSync(process.execPath, [BIN, 'explain', '-'], { input: le, encoding: 'utf8', env: cleanEnv() });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('[user_not_approved]');
    expect(decodePaste(le)).toBe(text);
    expect(decodePaste(Buffer.from(text, 'utf16le'))).toBe(text); // no byte-order mark
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16(), Buffer.from([0x41])]);
    expect(decodePaste(be)).toBe(text); // an odd trailing byte is dropped, not a crash
    expect(decodePaste(Buffer.from(`\uFEFF${text}`, 'utf8'))).toBe(text);
    expect(decodePaste(Buffer.from('ip restricted', 'utf8'))).toBe('ip restricted');
  });

  it('empty text is bad input: exit 2 with the fix, from the argument or from stdin', async () => {
    for (const [args, input] of [[['explain', ''], undefined], [['explain', '-'], ''], [['explain', '-'], '  \n']] as [string[], string | undefined][]) {
      const result = await runCli(args, { input });
      expect(result.code, JSON.stringify(input)).toBe(2);
      expect(result.stderr).toMatch(/^✗ nothing to explain.*\n  fix: give the error text/);
    }
  });

  it('exit 1 and a hint when nothing matches', async () => {
    const result = await runCli(['explain', 'the', 'printer', 'is', 'on', 'fire']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/No entry matches/);
    const json = await runCli(['explain', '--json', 'nothing here']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, code: null, fix: [expect.stringMatching(/paste the whole error/)] });
  });

  it('NO_COLOR and --no-color give no escape codes; symbols stay', async () => {
    const a = await runCli(['explain', 'ip restricted'], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    const b = await runCli(['--no-color', 'explain', 'ip restricted'], { env: { FORCE_COLOR: '1' } });
    for (const r of [a, b]) {
      expect(r.stdout).not.toMatch(/\u001b\[/);
      expect(r.stdout).toMatch(/✗/);
    }
    const coloured = await runCli(['explain', 'ip restricted'], { env: { FORCE_COLOR: '1' } });
    expect(coloured.stdout).toMatch(/\u001b\[/);
  });
});

describe('sf-setup keygen', () => {
  it('writes key 0600, certificate 0644, folder 0700, git-ignores the key, and refuses to overwrite', async () => {
    const dir = await tempDir();
    const first = await runCli(['keygen', '--days', '30', '--json'], { cwd: dir });
    expect(first.code).toBe(0);
    const out = JSON.parse(first.stdout) as { privateKeyPath: string; certificatePath: string; bits: number; fingerprint: string };
    expect(out.bits).toBe(2048);
    expect(out.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect((await stat(out.privateKeyPath)).mode & 0o777).toBe(0o600);
    expect((await stat(out.certificatePath)).mode & 0o777).toBe(0o644);
    expect((await stat(path.join(dir, 'certs'))).mode & 0o777).toBe(0o700);
    expect(await readFile(path.join(dir, '.gitignore'), 'utf8')).toMatch(/^certs\/\*\.key\ncerts\/\*\.key\.\*\.bak$/m);
    expect(first.stdout).not.toMatch(/PRIVATE KEY/);

    const keyBefore = await readFile(out.privateKeyPath, 'utf8');
    const again = await runCli(['keygen'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--force/);
    expect(hasStackTrace(again.stderr)).toBe(false);
    expect(await readFile(out.privateKeyPath, 'utf8')).toBe(keyBefore);

    const forced = await runCli(['keygen', '--force', '--json'], { cwd: dir });
    expect(forced.code).toBe(0);
    const backups = (JSON.parse(forced.stdout) as { backups: string[] }).backups;
    expect(backups.length).toBe(2);
    const keyBackup = backups.find((b) => b.includes('server.key'))!;
    expect(await readFile(keyBackup, 'utf8')).toBe(keyBefore);
    expect((await stat(keyBackup)).mode & 0o777).toBe(0o600);
    expect(await readFile(out.privateKeyPath, 'utf8')).not.toBe(keyBefore);
  });

  it('refuses existing files before generating a key (fail fast: a 4096-bit search takes seconds), and --force does generate', async () => {
    const dir = await tempDir();
    expect((await runCli(['keygen'], { cwd: dir })).code).toBe(0);
    const counter = path.join(dir, 'keygens.txt');
    const env = { NODE_OPTIONS: `--require=${path.join(ROOT, 'test/fixtures/count-keygens.cjs')}`, COUNT_KEYGENS_FILE: counter };
    const refused = await runCli(['keygen', '--bits', '4096'], { cwd: dir, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already exist.*\n.*--force/s);
    expect(existsSync(counter)).toBe(false);
    const forced = await runCli(['keygen', '--force'], { cwd: dir, env });
    expect(forced.code, forced.stderr).toBe(0);
    // Replacing a pair says what breaks until the upload, and names rotate.
    expect(forced.stdout.replace(/\s+/g, ' ')).toContain('! Until the new certificate is uploaded, the app still has the old one: tokens signed with the new key are refused (invalid assertion). `sf-setup rotate` keeps the old key working until you switch.');
    // One search, started by the entry point before the program loaded (keys/search.ts), and used.
    expect(await readFile(counter, 'utf8')).toBe('rsa 2048 before-program\n');
  });

  it('the head start: a plain keygen searches before the program loads; one the entry point cannot vouch for searches after (the check can fail)', async () => {
    const dir = await tempDir();
    const counter = path.join(dir, 'keygens.txt');
    const env = { NODE_OPTIONS: `--require=${path.join(ROOT, 'test/fixtures/count-keygens.cjs')}`, COUNT_KEYGENS_FILE: counter };
    const early = await runCli(['keygen', '--days=30', '--subject', 'CN=early', '--json'], { cwd: dir, env });
    expect(early.code, early.stderr).toBe(0);
    const written = JSON.parse(early.stdout) as { privateKeyPath: string; certificatePath: string };
    // The pair written is the one found by that search: key and certificate belong together.
    const certificate = new X509Certificate(await readFile(written.certificatePath));
    expect(certificate.checkPrivateKey(createPrivateKey(await readFile(written.privateKeyPath)))).toBe(true);
    expect(certificate.subject).toMatch(/^CN=early$/m);
    // A global option before the command: the entry point does not guess, and the command searches itself.
    const late = await runCli(['--no-color', 'keygen', '--dir', 'other'], { cwd: dir, env });
    expect(late.code, late.stderr).toBe(0);
    expect(await readFile(counter, 'utf8')).toBe('rsa 2048 before-program\nrsa 2048 after-program\n');
  });

  it('a bad --subject is exit 2 with one clear line', async () => {
    const dir = await tempDir();
    const result = await runCli(['keygen', '--subject', 'XX=nope'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/XX/);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(existsSync(path.join(dir, 'certs', 'server.key'))).toBe(false);
  });
});

describe('sf-setup config and test without an org', () => {
  it('config writes a valid file, git-ignores key and config, keeps unknown fields on update', async () => {
    const dir = await tempDir();
    const result = await runCli(['config', '--client-id', '3MVG9abcdefghijklmnop', '--username', 'me@acme.com', '--sandbox'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const file = JSON.parse(await readFile(path.join(dir, '.sfconnect.json'), 'utf8')) as Record<string, unknown>;
    expect(file).toMatchObject({
      tokenUrl: 'https://test.salesforce.com/services/oauth2/token',
      clientId: '3MVG9abcdefghijklmnop',
      username: 'me@acme.com',
      authType: 'jwt',
      algorithm: 'RS256',
      apiVersion: 'v59.0',
      privateKeyPath: './certs/server.key',
    });
    // A login host is not the org's instance: none is written, and the doctor has nothing to warn about.
    expect(file.instanceUrl).toBeUndefined();
    const offline = await runCli(['doctor', '--offline', '--json'], { cwd: dir });
    expect(offline.stdout).not.toMatch(/instance_url_login_host/);
    const myDomain = await runCli(['config', '--org', 'md', '--client-id', '3MVG9abcdefghijklmnop', '--username', 'me@acme.com', '--token-url', 'https://acme.my.salesforce.com/services/oauth2/token'], { cwd: dir });
    expect(myDomain.code, myDomain.stderr).toBe(0);
    const both = JSON.parse(await readFile(path.join(dir, '.sfconnect.json'), 'utf8')) as { orgs: Record<string, Record<string, unknown>> };
    expect(both.orgs.md.instanceUrl).toBe('https://acme.my.salesforce.com');
    await writeFile(path.join(dir, '.sfconnect.json'), JSON.stringify(file, null, 2));
    const gitignore = await readFile(path.join(dir, '.gitignore'), 'utf8');
    expect(gitignore).toMatch(/^certs\/\*\.key\ncerts\/\*\.key\.\*\.bak$/m);
    expect(gitignore).toMatch(/^\.sfconnect\.json$/m);

    await writeFile(path.join(dir, '.sfconnect.json'), JSON.stringify({ ...file, notes: 'keep me' }, null, 2));
    const update = await runCli(['config', '--api-version', 'v62.0'], { cwd: dir });
    expect(update.code, update.stderr).toBe(0);
    const updated = JSON.parse(await readFile(path.join(dir, '.sfconnect.json'), 'utf8')) as Record<string, unknown>;
    expect(updated.notes).toBe('keep me');
    expect(updated.apiVersion).toBe('v62.0');
    expect(updated.clientId).toBe('3MVG9abcdefghijklmnop');
  });

  it('config warns, as the wizard does, when the Consumer Key given is a Consumer Secret (and never prints it)', async () => {
    const dir = await tempDir();
    const secret = 'E3A1F0C9B2D4E6F8A0C2E4F6A8B0D2E4F6A8C0E2F4A6B8D0F2A4C6E8A0B2C4D6';
    const result = await runCli(['config', '--client-id', secret, '--username', 'me@acme.com'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^! clientId: this looks like the Consumer Secret, not the Consumer Key/m);
    const json = await runCli(['config', '--client-id', secret, '--username', 'me@acme.com', '--json'], { cwd: dir });
    expect((JSON.parse(json.stdout) as { warnings: string[] }).warnings).toContainEqual(expect.stringMatching(/Consumer Secret/));
    const offline = await runCli(['doctor', '--offline', '--json'], { cwd: dir });
    const config = (JSON.parse(offline.stdout) as { checks: { id: string; status: string; detail: string }[] }).checks.find((c) => c.id === 'config');
    expect(config).toMatchObject({ status: 'warn' });
    expect(config!.detail).toMatch(/Consumer Secret/);
    for (const r of [result, json, offline]) expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('config refuses bad values with exit 2 and the reason', async () => {
    const dir = await tempDir();
    const noUser = await runCli(['config', '--client-id', 'abc123abc123'], { cwd: dir });
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toMatch(/username/);
    const http = await runCli(['config', '--client-id', 'abc123abc123', '--username', 'a@b.com', '--token-url', 'http://login.salesforce.com/services/oauth2/token'], { cwd: dir });
    expect(http.code).toBe(2);
    expect(http.stderr).toMatch(/https/);
    const evil = await runCli(['config', '--client-id', 'abc123abc123', '--username', 'a@b.com', '--token-url', 'https://evil.example.com/services/oauth2/token'], { cwd: dir });
    expect(evil.code).toBe(2);
    expect(evil.stderr).toMatch(/allow-untrusted-host/);
    for (const r of [noUser, http, evil]) expect(hasStackTrace(r.stderr)).toBe(false);
    expect(existsSync(path.join(dir, '.sfconnect.json'))).toBe(false);
  });

  it('test with no config is exit 2 with the way forward', async () => {
    const dir = await tempDir();
    const result = await runCli(['test'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/sf-setup/);
    expect(hasStackTrace(result.stderr)).toBe(false);
    const json = await runCli(['test', '--json'], { cwd: dir });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, code: 'config_missing' });
  });
});

describe('isCi: the same rule as Ink, so a full-screen UI never starts where Ink would draw only its last frame', () => {
  it.each([
    [{}, false],
    [{ CI: 'true' }, true],
    [{ CI: '1' }, true],
    [{ CI: '' }, true],
    [{ CI: 'false' }, false],
    [{ CI: '0' }, false],
    [{ CONTINUOUS_INTEGRATION: 'yes' }, true],
    [{ CI: 'false', CONTINUOUS_INTEGRATION: '1' }, true],
  ])('%j -> %s', async (env, expected) => {
    const { isCi } = await import('../src/commands/context.js');
    expect(isCi(env)).toBe(expected);
  });
});

describe('a folder deleted under the shell', () => {
  it('demo --plain works in its own folder, whatever happened to the shell\'s', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sf-gone-'));
    const result = spawnSync('sh', ['-c', 'cd "$1" && rmdir "$1" && shift && exec "$@"', 'sh', dir, process.execPath, BIN, 'demo', '--plain'], { env: cleanEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    expect(result.stderr).not.toMatch(/a bug/);
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  it.each([['test', '--json'], ['doctor'], ['keygen'], ['config', '--client-id', '3MVG9abcdefghijklmnop', '--username', 'me@acme.com']])('%s: one line with the cause, exit 2, no stack trace', async (...args) => {
    const dir = await tempDir();
    // The shell enters the folder, which is then removed: what `rm -rf` in another terminal does.
    const result = spawnSync('sh', ['-c', 'cd "$1" && rmdir "$1" && shift && exec "$@"', 'sh', dir, process.execPath, BIN, ...args], { env: cleanEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(result.status).toBe(2);
    expect(result.stdout + result.stderr).toMatch(/the current folder no longer exists/);
    expect(hasStackTrace(result.stdout + result.stderr)).toBe(false);
    if (args.includes('--json')) expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, code: 'usage' });
  });
});

describe('keygen --dir: the next step names the key', () => {
  it('config is told where the key is, so that following the hint finds it (no second pair)', async () => {
    const dir = await tempDir();
    const made = await runCli(['keygen', '--dir', 'my keys'], { cwd: dir });
    expect(made.code, made.stderr).toBe(0);
    const hint = /`(sf-setup config [^`]+)`/.exec(made.stdout)?.[1];
    expect(hint).toBe("sf-setup config --client-id <Consumer Key> --username <user> --private-key-path 'my keys/server.key'");
    expect(made.stdout).toMatch(/upload my keys\/server\.crt to your app/);
    // Followed as printed (placeholders filled in): config finds the key.
    const followed = await runCli(['config', '--client-id', '3MVG9abcdefghijklmnop', '--username', 'me@acme.com', '--private-key-path', 'my keys/server.key'], { cwd: dir });
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stdout).toMatch(/Next: `sf-setup test`/);
  });
});

describe('explain: a log with several errors', () => {
  it('explains the last and names the earlier ones, in text and --json', async () => {
    const log = "attempt 1: invalid_grant: user hasn't approved this consumer\nattempt 2: invalid_grant: invalid assertion\n";
    const text = await runCli(['explain', '-'], { input: log });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^✗ .*\[invalid_signature\]$/m);
    expect(text.stdout).toMatch(/^ {2}Earlier in the text: The user hasn't approved the app \[user_not_approved\]\.$/m);
    const json = await runCli(['explain', '--json', '-'], { input: log });
    expect(JSON.parse(json.stdout)).toMatchObject({ code: 'invalid_signature', alsoFound: ['user_not_approved'] });
  });
});

describe('keygen --dir with a Windows path', () => {
  it.skipIf(process.platform === 'win32')('is exit 2 with the / form, and writes nothing (a folder named "C:\\certs" escaped .gitignore)', async () => {
    const dir = await tempDir();
    const result = await runCli(['keygen', '--dir', 'C:\\certs'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--dir "C:\\certs" is written with \\ \(a Windows path\)/);
    expect(result.stderr).toMatch(/fix: use --dir certs$/m);
    expect(existsSync(path.join(dir, 'C:\\certs'))).toBe(false);
    expect(existsSync(path.join(dir, '.gitignore'))).toBe(false);
  });
});

describe('a usage error never echoes a secret in the rejected argument (security review)', () => {
  it.each([
    [['explain', '-d client_secret=A1B2C3D4E5F6SECRET&grant_type=password invalid_client_credentials'], 'A1B2C3D4E5F6SECRET'],
    [['test', '--json', '--passphrase=S3CR3TS3CR3T'], 'S3CR3TS3CR3T'],
  ])('%j', async (args, secret) => {
    for (const json of [false, true]) {
      const result = await runCli(json && !args.includes('--json') ? [...args, '--json'] : args);
      expect(result.code).toBe(2);
      expect(result.stderr + result.stdout).toMatch(/unknown option/);
      expect(result.stderr + result.stdout).not.toContain(secret);
    }
  });
});
