/**
 * Gaps in the doctor's tests (issue 5) found by an audit: evidence-based ranking of token failures (check 9),
 * secrets hygiene with .env files and inline keys (6), SHA-1 certificates (5), clock skew thresholds (7), the
 * api scope (10), the exit code and fix text of every local fault, -v, --yes without --fix, and --report.
 * Everything runs the real built binary against an emulated org (or a real local server) on 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { chmod, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import forge from 'node-forge';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorOptions, ScenarioName } from '../src/emulator/index.js';
import { createSelfSignedCertificate, DEFAULT_SUBJECT } from '../src/keys/index.js';
import { hasStackTrace, runCli, tempDir } from './helpers/cli.js';
import { orgProject, type OrgProject } from './helpers/org.js';
import { closedPort, localServer } from './helpers/servers.js';

interface DoctorCheck {
  id: string;
  title: string;
  status: string;
  detail: string;
  code?: string;
  fix?: string[];
  causes?: string[];
  evidence?: string[];
}
interface DoctorJson {
  ok: boolean;
  org: string | null;
  checks: DoctorCheck[];
  summary: { pass: number; warn: number; fail: number; skip: number };
}

const DAY = 86_400_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function project(scenario: ScenarioName = 'ok', extra: EmulatorOptions & { writeConfig?: boolean } = {}): Promise<OrgProject> {
  const p = await orgProject({ scenario, ...extra });
  cleanups.push(() => p.org.close());
  return p;
}

async function doctor(cwd: string, args: string[] = [], env: Record<string, string> = {}) {
  const result = await runCli(['doctor', '--json', '--timeout', '5', ...args], { cwd, env });
  expect(hasStackTrace(result.stderr), result.stderr).toBe(false);
  const json = JSON.parse(result.stdout) as DoctorJson;
  const check = (id: string): DoctorCheck => {
    const found = json.checks.find((c) => c.id === id);
    if (!found) throw new Error(`no check ${id} in ${result.stdout}`);
    return found;
  };
  return { ...result, json, check };
}

const fixText = (check: DoctorCheck) => (check.fix ?? []).join('\n');

async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

async function readConfig(p: OrgProject): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(p.dir, '.sfconnect.json'), 'utf8')) as Record<string, unknown>;
}

/**
 * A stand-in for https://HOST: a CONNECT proxy that sends every tunnel to a TLS server on 127.0.0.1 holding a
 * certificate for HOST (trusted by the child through NODE_EXTRA_CA_CERTS), which pipes the decrypted bytes to
 * the emulated org. The binary then talks to "login.salesforce.com" exactly as it would in production, and the
 * host classification (production vs sandbox) is the real one.
 */
async function impersonate(hostname: string, targetUrl: string): Promise<{ env: Record<string, string>; tunnels: string[] }> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string);
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(8))}`;
  cert.validity.notBefore = new Date(Date.now() - DAY);
  cert.validity.notAfter = new Date(Date.now() + DAY);
  const subject = [{ name: 'commonName', value: hostname }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: hostname }] },
  ]);
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  cert.sign(forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const dir = await tempDir('sf-setup-ca-');
  const caFile = path.join(dir, 'ca.pem');
  await writeFile(caFile, certPem);

  const target = new URL(targetUrl);
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    return socket;
  };
  const tlsServer = tls.createServer({ key: keyPem, cert: certPem }, (socket) => {
    const upstream = track(net.connect(Number(target.port), target.hostname));
    socket.pipe(upstream).pipe(socket);
    track(socket).on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
  const tlsPort = (tlsServer.address() as net.AddressInfo).port;

  const tunnels: string[] = [];
  const proxy = http.createServer((req, res) => {
    res.writeHead(405);
    res.end();
  });
  proxy.on('connection', track);
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const upstream = track(
      net.connect(tlsPort, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      }),
    );
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxyPort = (proxy.address() as net.AddressInfo).port;
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all([new Promise((r) => tlsServer.close(r)), new Promise((r) => proxy.close(r))]);
    await rm(dir, { recursive: true, force: true });
  });
  return { env: { HTTPS_PROXY: `http://127.0.0.1:${proxyPort}`, NODE_EXTRA_CA_CERTS: caFile }, tunnels };
}

/** A project whose config sends the token request to https://login.salesforce.com (really: the emulated org). */
async function productionHostProject(scenario: ScenarioName, username: string) {
  const p = await project(scenario, { username });
  const login = await impersonate('login.salesforce.com', p.org.url);
  await writeJson(path.join(p.dir, '.sfconnect.json'), { ...(await readConfig(p)), tokenUrl: 'https://login.salesforce.com/services/oauth2/token' });
  return { p, env: login.env, tunnels: login.tunnels };
}

describe('check 9: token failures ranked with local evidence', () => {
  it('a generic invalid_grant with a key/certificate mismatch becomes invalid_signature (and stays invalid_grant without it)', async () => {
    // A token endpoint answering Salesforce's bare catch-all refusal, whatever the assertion.
    const server = await localServer((req, res) => {
      res.writeHead(400, { 'content-type': 'application/json', date: new Date().toUTCString() });
      res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'something went wrong' }));
    });
    cleanups.push(server.close);
    const p = await project('ok', { writeConfig: false });
    const env = { ...p.env, SF_TOKEN_URL: `${server.url}/services/oauth2/token`, SF_INSTANCE_URL: server.url, SF_CERTIFICATE_PATH: p.certificatePath };

    const control = await doctor(p.dir, [], env);
    expect(control.check('certificate').status).toBe('pass');
    expect(control.check('token')).toMatchObject({ status: 'fail', code: 'invalid_grant' });

    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    await writeFile(p.keyPath, other, { mode: 0o600 });
    const mismatch = await doctor(p.dir, [], env);
    expect(mismatch.code).toBe(1);
    expect(mismatch.check('certificate')).toMatchObject({ status: 'fail', code: 'key_cert_mismatch' });
    const token = mismatch.check('token');
    expect(token).toMatchObject({ status: 'fail', code: 'invalid_signature' });
    expect(token.evidence!.join(' ')).toMatch(/private key and your local certificate do not match/);
    expect(fixText(token)).toMatch(/Use digital signatures/);

    const text = await runCli(['doctor', '--timeout', '5'], { cwd: p.dir, env });
    expect(text.stdout).toMatch(/✗ Token request.*\[invalid_signature\]/);
    expect(text.stdout).toMatch(/Salesforce said: invalid_grant: something went wrong/);
  });

  it('an expired local certificate is named in the token failure', async () => {
    const p = await project('user_not_approved');
    const control = await doctor(p.dir);
    expect(control.check('token').evidence ?? []).not.toContainEqual(expect.stringMatching(/expired/));

    const expiredOn = new Date(Date.now() - 5 * DAY);
    const key = createPrivateKey(p.pair.privateKeyPem);
    await writeFile(p.certificatePath, await createSelfSignedCertificate(key, { subject: DEFAULT_SUBJECT, notBefore: new Date(Date.now() - 400 * DAY), notAfter: expiredOn }));
    const result = await doctor(p.dir);
    expect(result.code).toBe(1);
    expect(result.check('certificate')).toMatchObject({ status: 'fail', code: 'certificate_expired' });
    const token = result.check('token');
    expect(token).toMatchObject({ status: 'fail', code: 'user_not_approved' });
    expect(token.evidence ?? []).toContain(`Your local certificate expired on ${expiredOn.toISOString().slice(0, 10)}.`);

    const text = await runCli(['doctor', '--timeout', '5'], { cwd: p.dir });
    const tokenBlock = text.stdout.slice(text.stdout.indexOf('Token request'));
    expect(tokenBlock).toMatch(/→ Your local certificate expired on \d{4}-\d{2}-\d{2}\./);
  });

  it('user_not_approved: a sandbox username against login.salesforce.com is named first; a production username is not', async () => {
    const { p, env, tunnels } = await productionHostProject('user_not_approved', 'user@acme.com.uat');
    const result = await doctor(p.dir, [], env);
    // The request really went to "login.salesforce.com" (through the stand-in) and reached the org.
    expect(tunnels).toContain('login.salesforce.com:443');
    expect(p.org.requests.some((r) => r.method === 'POST' && r.error === 'invalid_grant')).toBe(true);
    expect(result.code).toBe(1);
    expect(result.check('environment')).toMatchObject({ status: 'warn', code: 'environment_mismatch' });
    const token = result.check('token');
    expect(token).toMatchObject({ status: 'fail', code: 'user_not_approved' });
    expect(token.causes![0]).toMatch(/sandbox/i);
    expect(token.evidence![0]).toMatch(/^Sandbox and production are mixed: the username ends in "\.uat"/);

    const text = await runCli(['doctor', '--timeout', '5'], { cwd: p.dir, env });
    const tokenBlock = text.stdout.slice(text.stdout.indexOf('✗ Token request'));
    // user_not_approved is a sure reading of Salesforce's words: no "likely" (the same heading as explain's).
    expect(tokenBlock).toMatch(/\n\s+Causes, most likely first:\n\s+• The username is wrong \(a sandbox username/);
    expect(tokenBlock).toMatch(/→ Sandbox and production are mixed/);

    // Control: the same failure with a production-looking username keeps the knowledge base's order.
    const plain = await productionHostProject('user_not_approved', 'user@acme.com');
    const controlToken = (await doctor(plain.p.dir, [], plain.env)).check('token');
    expect(controlToken.code).toBe('user_not_approved');
    expect(controlToken.causes![0]).toMatch(/^Permitted Users is "All users may self-authorize"/);
    expect(controlToken.evidence ?? []).not.toContainEqual(expect.stringMatching(/Sandbox and production/));
  });

  it('audience_invalid: a sandbox username against login.salesforce.com is named first', async () => {
    const { p, env } = await productionHostProject('audience_invalid', 'user@acme.com.uat');
    const result = await doctor(p.dir, [], env);
    expect(result.code).toBe(1);
    const token = result.check('token');
    expect(token).toMatchObject({ status: 'fail', code: 'audience_invalid' });
    expect(token.evidence![0]).toMatch(/^Sandbox and production are mixed/);
    expect(token.causes![0]).toMatch(/sent to a sandbox/);
    const text = await runCli(['doctor', '--timeout', '5'], { cwd: p.dir, env });
    const tokenBlock = text.stdout.slice(text.stdout.indexOf('✗ Token request'));
    // The evidence comes before the generic causes list.
    expect(tokenBlock.indexOf('→ Sandbox and production are mixed')).toBeGreaterThan(0);
    expect(tokenBlock.indexOf('→ Sandbox and production are mixed')).toBeLessThan(tokenBlock.indexOf('Causes, most likely first:'));
  });
});

/** A git repository in the project folder (the key is git-ignored by orgProject's .gitignore). */
function gitInit(dir: string): void {
  execFileSync('git', ['init', '-q'], { cwd: dir });
}

describe('check 6: secrets hygiene', () => {
  it('a git-tracked .env holding a PEM private key fails with key_in_git; the same file untracked passes', async () => {
    const p = await project('ok');
    gitInit(p.dir);
    const envFile = path.join(p.dir, '.env');
    await writeFile(envFile, `SF_CLIENT_ID=${p.org.clientId}\nSF_PRIVATE_KEY="${p.pair.privateKeyPem.trim().replace(/\n/g, '\\n')}"\n`);

    const untracked = await doctor(p.dir, ['--offline']);
    expect(untracked.check('secrets').status).toBe('pass');

    execFileSync('git', ['add', '.env'], { cwd: p.dir });
    const result = await doctor(p.dir, ['--offline']);
    expect(result.code).toBe(1);
    const secrets = result.check('secrets');
    expect(secrets).toMatchObject({ status: 'fail', code: 'key_in_git' });
    expect(secrets.detail).toMatch(/^\.env is tracked by git and holds private key material/);
    expect(fixText(secrets)).toMatch(/git rm --cached \.env`/);
    expect(fixText(secrets)).toMatch(/keygen --force/);
    // The key itself is named nowhere in the answer.
    expect(result.stdout).not.toMatch(/PRIVATE KEY-----/);
  });

  it('backups kept by keygen --force and keys made by rotate are git-ignored with the key, and the doctor checks them', async () => {
    const p = await project('ok');
    gitInit(p.dir);
    const gitignore = path.join(p.dir, '.gitignore');
    const certs = path.join(p.dir, 'certs');
    // keygen --force keeps the old key as a backup: the key's folder is ignored for keys and backups alike.
    expect((await runCli(['keygen', '--force'], { cwd: p.dir })).code).toBe(0);
    const backup = (await readdir(certs)).find((name) => /^server\.key\..+\.bak$/.test(name))!;
    expect(backup).toBeDefined();
    expect((await readFile(gitignore, 'utf8')).split('\n')).toEqual(expect.arrayContaining(['certs/*.key', 'certs/*.key.*.bak']));
    expect(execFileSync('git', ['check-ignore', `certs/${backup}`, 'certs/server-20990101.key'], { cwd: p.dir, encoding: 'utf8' }).trim().split('\n')).toHaveLength(2);
    const clean = await doctor(p.dir, ['--offline']);
    expect(clean.check('secrets')).toMatchObject({ status: 'pass', detail: 'certs/server.key (and the other key beside it) are git-ignored and not tracked' });

    // A .gitignore from before: only the key itself. The backup is named, and --fix ignores it.
    await writeFile(gitignore, 'certs/server.key\n');
    const exposed = await doctor(p.dir, ['--offline']);
    expect(exposed.check('secrets')).toMatchObject({ status: 'warn', code: 'key_not_ignored', detail: `certs/${backup} holds a private key and is not in .gitignore` });
    expect((await runCli(['doctor', '--offline', '--fix', '--yes'], { cwd: p.dir })).code).toBe(0);
    expect((await doctor(p.dir, ['--offline'])).check('secrets').status).toBe('pass');

    // Tracked (git add -f gets past .gitignore): a failure naming the file, with how to stop tracking it.
    execFileSync('git', ['add', '-f', `certs/${backup}`], { cwd: p.dir });
    const tracked = await doctor(p.dir, ['--offline']);
    expect(tracked.code).toBe(1);
    expect(tracked.check('secrets')).toMatchObject({ status: 'fail', code: 'key_in_git', detail: `certs/${backup} is tracked by git and holds a private key (beside certs/server.key)` });
    expect(fixText(tracked.check('secrets'))).toContain(`git rm --cached certs/${backup}`);
    expect(tracked.stdout).not.toMatch(/PRIVATE KEY-----/);
    execFileSync('git', ['rm', '-q', '--cached', `certs/${backup}`], { cwd: p.dir });

    // rotate's new key, with a .gitignore that named only the old key.
    await writeFile(gitignore, 'certs/server.key\n');
    const rotated = await runCli(['rotate'], { cwd: p.dir });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.stdout).toContain('Added certs/*.key, certs/*.key.*.bak to .gitignore');
    const newKey = (await readdir(certs)).find((name) => /^server-\d{8}\.key$/.test(name))!;
    expect(execFileSync('git', ['check-ignore', `certs/${newKey}`], { cwd: p.dir, encoding: 'utf8' }).trim()).toBe(`certs/${newKey}`);
  });

  it('a key folder with a non-ASCII name: its ignored backup passes, a tracked one is named as it is (core.quotePath off)', async () => {
    const dir = await tempDir();
    gitInit(dir);
    expect((await runCli(['keygen', '--dir', 'clés'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['keygen', '--dir', 'clés', '--force'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['config', '--client-id', '3MVG9abcdefghijklmnopqrstu', '--username', 'me@acme.com', '--private-key-path', './clés/server.key'], { cwd: dir })).code).toBe(0);
    const backup = (await readdir(path.join(dir, 'clés'))).find((name) => name.endsWith('.bak') && name.startsWith('server.key'))!;
    const clean = await doctor(dir, ['--offline']);
    expect(clean.check('secrets')).toMatchObject({ status: 'pass' });
    execFileSync('git', ['add', '-f', `clés/${backup}`], { cwd: dir });
    const tracked = await doctor(dir, ['--offline']);
    expect(tracked.check('secrets').detail).toContain(`clés/${backup} is tracked by git`);
    expect(fixText(tracked.check('secrets'))).toContain(`git rm --cached clés/${backup}`);
  });

  it('a key given inline by SF_PRIVATE_KEY (no key file) passes the secrets check and gets a token', async () => {
    const p = await project('ok', { writeConfig: false });
    gitInit(p.dir);
    const { SF_PRIVATE_KEY_PATH: _unused, ...env } = p.env;
    await rm(path.join(p.dir, 'certs'), { recursive: true });
    const result = await doctor(p.dir, [], { ...env, SF_PRIVATE_KEY: p.pair.privateKeyPem });
    expect(result.code, JSON.stringify(result.json.checks, null, 1)).toBe(0);
    expect(result.check('key')).toMatchObject({ status: 'pass' });
    expect(result.check('key').detail).toMatch(/^SF_PRIVATE_KEY: RSA 2048/);
    const secrets = result.check('secrets');
    expect(secrets.status).toBe('pass');
    expect(secrets.detail).toMatch(/SF_PRIVATE_KEY/);
    expect(result.check('token').status).toBe('pass');
    expect(result.stdout).not.toContain(p.pair.privateKeyPem.split('\n')[1]);
  });
});

describe('checks 5, 7 and 10 through the binary', () => {
  it('check 5: a certificate signed with SHA-1 is a warning (exit 0) naming the algorithm', async () => {
    const p = await project('ok');
    const cert = forge.pki.createCertificate();
    const forgeKey = forge.pki.privateKeyFromPem(p.pair.privateKeyPem) as forge.pki.rsa.PrivateKey;
    cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
    cert.serialNumber = '01a1';
    cert.validity.notBefore = new Date(Date.now() - DAY);
    cert.validity.notAfter = new Date(Date.now() + 365 * DAY);
    cert.setSubject([{ name: 'commonName', value: 'sf-setup sha1' }]);
    cert.setIssuer([{ name: 'commonName', value: 'sf-setup sha1' }]);
    cert.sign(forgeKey, forge.md.sha1.create());
    await writeFile(p.certificatePath, forge.pki.certificateToPem(cert));

    const result = await doctor(p.dir);
    expect(result.code, JSON.stringify(result.json.checks, null, 1)).toBe(0);
    const check = result.check('certificate');
    expect(check).toMatchObject({ status: 'warn', code: 'cert_invalid' });
    expect(check.detail).toMatch(/sha1/i);
    expect(check.detail).toMatch(/SHA-256/);
    expect(fixText(check)).toMatch(/certificatePath|keygen/);
    expect((await doctor(p.dir, ['--strict'])).code).toBe(1);
  });

  it('check 7: a clock 90 s off is a warning (exit 0); 200 s off is a failure (exit 1)', async () => {
    const p = await project('ok');
    p.org.state.clockOffsetMs = 90_000;
    const warn = await doctor(p.dir);
    expect(warn.code, JSON.stringify(warn.json.checks, null, 1)).toBe(0);
    const clock = warn.check('clock');
    expect(clock).toMatchObject({ status: 'warn', code: 'clock_skew' });
    expect(clock.detail).toMatch(/clock is (89|90|91) s behind the token host's/);
    expect(fixText(clock)).toMatch(/set-ntp|Set automatically/);
    expect(warn.check('token').status).toBe('pass');

    p.org.state.clockOffsetMs = 200_000;
    const fail = await doctor(p.dir);
    expect(fail.code).toBe(1);
    expect(fail.check('clock')).toMatchObject({ status: 'fail', code: 'clock_skew' });
    expect(fail.check('clock').detail).toMatch(/(199|200|201) s behind/);
  });

  it('check 10: a token without the api scope fails the API check with api_scope_missing', async () => {
    const p = await project('ok');
    p.org.state.apps[0].scopes = ['refresh_token', 'offline_access'];
    const result = await doctor(p.dir);
    expect(result.code).toBe(1);
    expect(result.check('token').status).toBe('pass');
    const api = result.check('api');
    expect(api).toMatchObject({ status: 'fail', code: 'api_scope_missing' });
    expect(api.detail).toMatch(/INVALID_SESSION_ID/);
    expect(fixText(api)).toMatch(/Selected OAuth Scopes: add "Manage user data via APIs \(api\)"/);
    expect(result.check('privilege').status).toBe('skip');
  });
});

interface LocalFault {
  name: string;
  /** Prepares a project; returns where and how to run the doctor. */
  setup(): Promise<{ cwd: string; env?: Record<string, string>; args?: string[] }>;
  check: string;
  code: string;
  status: 'fail' | 'warn';
  exit: number;
  /** What the fix steps must name: the setting, file or command that repairs it. */
  fix: RegExp[];
  /** What the detail must name, when the fix alone cannot (e.g. where the JSON breaks). */
  detail?: RegExp;
}

async function withCertificate(p: OrgProject, notBefore: Date, notAfter: Date): Promise<void> {
  await writeFile(p.certificatePath, await createSelfSignedCertificate(createPrivateKey(p.pair.privateKeyPem), { subject: DEFAULT_SUBJECT, notBefore, notAfter }));
}

const LOCAL_FAULTS: LocalFault[] = [
  {
    name: 'no config',
    setup: async () => ({ cwd: await tempDir() }),
    check: 'config', code: 'config_missing', status: 'fail', exit: 2,
    fix: [/\.sfconnect\.json/, /SF_CLIENT_ID, SF_USERNAME and SF_PRIVATE_KEY/],
  },
  {
    name: 'bad JSON',
    setup: async () => {
      const dir = await tempDir();
      await writeFile(path.join(dir, '.sfconnect.json'), '{\n  "clientId": "x",\n}\n');
      return { cwd: dir };
    },
    check: 'config', code: 'config_invalid', status: 'fail', exit: 2,
    fix: [/remove the comma after the last field/],
    detail: /^\.sfconnect\.json is not valid JSON: line 2, column 18/,
  },
  {
    name: 'missing key',
    setup: async () => {
      const p = await project('ok');
      await rm(p.keyPath);
      return { cwd: p.dir };
    },
    check: 'key', code: 'key_missing', status: 'fail', exit: 1,
    // Its certificate is left: the first step is to find the key or make a new pair with --force
    // (plain `keygen` would refuse to replace the certificate).
    fix: [/^If its certificate is still here.*sf-setup keygen --force/, /privateKeyPath/],
    detail: /^certs\/server\.key does not exist, but its certificate certs\/server\.crt is still here$/,
  },
  {
    name: 'world-readable key',
    setup: async () => {
      const p = await project('ok');
      await chmod(p.keyPath, 0o644);
      return { cwd: p.dir };
    },
    check: 'key', code: 'key_permissions', status: 'fail', exit: 1,
    fix: [/chmod 600 certs\/server\.key/],
  },
  {
    name: 'encrypted key without a passphrase',
    setup: async () => {
      const p = await project('ok');
      const encrypted = createPrivateKey(p.pair.privateKeyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'open sesame' });
      await writeFile(p.keyPath, encrypted, { mode: 0o600 });
      return { cwd: p.dir };
    },
    check: 'key', code: 'key_encrypted', status: 'fail', exit: 1,
    fix: [/SF_PRIVATE_KEY_PASSPHRASE/],
  },
  {
    name: 'wrong key for the certificate',
    setup: async () => {
      const p = await project('ok');
      await writeFile(p.keyPath, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      return { cwd: p.dir };
    },
    check: 'certificate', code: 'key_cert_mismatch', status: 'fail', exit: 1,
    fix: [/Use digital signatures/, /privateKeyPath/],
  },
  {
    name: 'expired certificate',
    setup: async () => {
      const p = await project('ok');
      await withCertificate(p, new Date(Date.now() - 400 * DAY), new Date(Date.now() - 5 * DAY));
      return { cwd: p.dir };
    },
    check: 'certificate', code: 'certificate_expired', status: 'fail', exit: 1,
    fix: [/sf-setup rotate/, /Use digital signatures/],
  },
  {
    name: 'certificate expiring in 10 days',
    setup: async () => {
      const p = await project('ok');
      await withCertificate(p, new Date(Date.now() - DAY), new Date(Date.now() + 10 * DAY));
      return { cwd: p.dir };
    },
    check: 'certificate', code: 'certificate_expiring', status: 'warn', exit: 0,
    fix: [/sf-setup rotate/],
  },
  {
    name: 'untracked key not in .gitignore',
    setup: async () => {
      const p = await project('ok');
      await writeFile(path.join(p.dir, '.gitignore'), '.sfconnect.json\n');
      gitInit(p.dir);
      return { cwd: p.dir };
    },
    check: 'secrets', code: 'key_not_ignored', status: 'warn', exit: 0,
    fix: [/\.gitignore/, /certs\/server\.key/],
  },
  {
    name: 'clock skew',
    setup: async () => {
      const p = await project('clock_ahead');
      return { cwd: p.dir };
    },
    check: 'clock', code: 'clock_skew', status: 'fail', exit: 1,
    fix: [/set-ntp|Set automatically/],
  },
  {
    name: 'unreachable host',
    setup: async () => {
      const p = await project('ok', { writeConfig: false });
      const port = await closedPort();
      return { cwd: p.dir, env: { ...p.env, SF_TOKEN_URL: `http://127.0.0.1:${port}/services/oauth2/token`, SF_INSTANCE_URL: `http://127.0.0.1:${port}` } };
    },
    check: 'network', code: 'network_unreachable', status: 'fail', exit: 1,
    fix: [/HTTPS_PROXY/],
  },
  {
    name: 'timeout',
    setup: async () => {
      const p = await project('slow', { slowMs: 10_000 });
      return { cwd: p.dir, args: ['--timeout', '1'] };
    },
    check: 'network', code: 'timeout', status: 'fail', exit: 1,
    fix: [/--timeout/],
  },
  {
    name: 'HTML answer (maintenance page)',
    setup: async () => {
      const p = await project('maintenance');
      return { cwd: p.dir };
    },
    check: 'token', code: 'unexpected_response', status: 'fail', exit: 1,
    fix: [/tokenUrl/, /status\.salesforce\.com/],
  },
];

describe('instanceUrl left out of the config', () => {
  it('against login.salesforce.com: no instanceUrl warning (the user set none, and --fix would write none)', async () => {
    const { p, env } = await productionHostProject('ok', 'user@acme.com');
    const { instanceUrl: _left, ...config } = await readConfig(p);
    await writeJson(path.join(p.dir, '.sfconnect.json'), config);
    const result = await doctor(p.dir, [], env);
    expect(result.check('token')).toMatchObject({ status: 'pass' });
    expect(result.check('environment')).toMatchObject({ status: 'pass' });
    expect(result.json.checks.filter((c) => c.code === 'instance_url_login_host')).toEqual([]);
    // Written as a login host, it is still worth a warning (and --fix replaces it).
    await writeJson(path.join(p.dir, '.sfconnect.json'), { ...config, instanceUrl: 'https://login.salesforce.com' });
    const written = await doctor(p.dir, [], env);
    expect(written.check('environment')).toMatchObject({ status: 'warn', code: 'instance_url_login_host' });
    expect(written.check('token')).toMatchObject({ status: 'warn', code: 'instance_url_login_host' });
  });
});

describe('a config with several problems', () => {
  it('the doctor names every one with its fix, and does not send the user to run itself', async () => {
    const dir = await tempDir();
    await writeJson(path.join(dir, '.sfconnect.json'), { tokenUrl: 'https://login.salesforce.com/services/oauth2/token', clientId: '3MVG9abcdefghijklmnop', username: 'notanemail', privateKeyPath: './certs/server.key', apiVersion: '59' });
    const result = await doctor(dir, ['--offline'], {});
    const config = result.check('config');
    expect(config).toMatchObject({ status: 'fail', code: 'config_invalid' });
    expect(config.detail).toMatch(/apiVersion/);
    expect(config.detail).toMatch(/username/);
    expect(config.detail).not.toMatch(/more: run/);
    expect(fixText(config)).not.toMatch(/sf-setup doctor --offline/);
    expect(fixText(config)).toMatch(/v59\.0/);
    expect(result.code).toBe(2);
  });
});

describe('a key file without its certificate beside it (CI)', () => {
  it('the certificate check is skipped, saying why, when no certificate was named; a named one that is missing still fails', async () => {
    const p = await project('ok', { writeConfig: false });
    const ciKey = path.join(p.dir, 'ci.key');
    await writeFile(ciKey, p.pair.privateKeyPem, { mode: 0o600 });
    const result = await doctor(p.dir, [], { ...p.env, SF_PRIVATE_KEY_PATH: ciKey });
    expect(result.check('certificate')).toMatchObject({ status: 'skip' });
    expect(result.check('certificate').detail).toMatch(/no certificate at ci\.crt.*SF_CERTIFICATE_PATH/);
    expect(result.check('token')).toMatchObject({ status: 'pass' });
    expect(result.code).toBe(0);
    const named = await doctor(p.dir, [], { ...p.env, SF_PRIVATE_KEY_PATH: ciKey, SF_CERTIFICATE_PATH: path.join(p.dir, 'ci.crt') });
    expect(named.check('certificate')).toMatchObject({ status: 'fail' });
  });
});

describe('a named org whose settings are invalid', () => {
  it('is named in --json and in the report, not "(single-org config)"', async () => {
    const dir = await tempDir();
    await writeJson(path.join(dir, '.sfconnect.json'), { defaultOrg: 'prod', orgs: { prod: { tokenUrl: 'https://login.salesforce.com/services/oauth2/token', clientId: '3MVG9abcdefghijklmnop', username: 'me@acme.com', privateKeyPath: './k' }, bad: { tokenUrl: 'ftp://x', clientId: 'a' } } });
    const result = await doctor(dir, ['--offline', '--org', 'bad'], {});
    expect(result.json.org).toBe('bad');
    expect(result.check('config').status).toBe('fail');
    const report = path.join(dir, 'b.md');
    await runCli(['doctor', '--offline', '--org', 'bad', '--report', report], { cwd: dir });
    expect(await readFile(report, 'utf8')).toMatch(/^- Org: bad; result: FAILED/m);
  });
});

describe('the certificate named as the key', () => {
  it('fails the key check alone; the certificate check does not claim a match it could not test', async () => {
    const p = await project('ok');
    await writeJson(path.join(p.dir, '.sfconnect.json'), { ...(await readConfig(p)), privateKeyPath: './certs/server.crt' });
    const result = await doctor(p.dir, ['--offline'], {});
    expect(result.check('key')).toMatchObject({ status: 'fail', code: 'key_invalid' });
    expect(result.check('key').detail).toMatch(/found a certificate/);
    // Paired with itself (certificatePathBeside), not with a missing certs/server.crt.crt.
    const certificate = result.check('certificate');
    expect(certificate.status).toBe('pass');
    expect(certificate.detail).toMatch(/^certs\/server\.crt: valid until/);
    expect(certificate.detail).not.toMatch(/matches/);
    expect(result.code).toBe(1);
  });
});

describe('local faults: code, status, exit code and a fix that names what to change', () => {
  it.each(LOCAL_FAULTS.map((fault) => [fault.name, fault] as const))('%s', async (_name, fault) => {
    const { cwd, env = {}, args = [] } = await fault.setup();
    const result = await doctor(cwd, args, env);
    const check = result.check(fault.check);
    expect(check, JSON.stringify(check, null, 1)).toMatchObject({ status: fault.status, code: fault.code });
    expect(result.code, JSON.stringify(result.json.checks.filter((c) => c.status === 'fail'), null, 1)).toBe(fault.exit);
    expect(result.json.ok).toBe(fault.exit === 0);
    expect(check.fix?.length ?? 0).toBeGreaterThan(0);
    for (const step of check.fix!) expect(step.trim()).not.toBe('');
    for (const pattern of fault.fix) expect(fixText(check)).toMatch(pattern);
    if (fault.detail) expect(check.detail).toMatch(fault.detail);
  });
});

describe('output options', () => {
  it('-v shows the details of passing checks; without it they are left out', async () => {
    const p = await project('ok');
    const fingerprint = new X509Certificate(p.pair.certificatePem).fingerprint256;
    const plain = await runCli(['doctor', '--timeout', '5'], { cwd: p.dir });
    const verbose = await runCli(['doctor', '--timeout', '5', '-v'], { cwd: p.dir });
    expect(plain.code).toBe(0);
    expect(verbose.code).toBe(0);
    for (const fact of [/^\s+public key SHA-256: [0-9A-Za-z+/:=]+$/m, /^\s+SHA-256 fingerprint: /m, /^\s+subject: /m, /^\s+valid: \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}$/m, /^\s+tokenUrl: file$/m]) {
      expect(verbose.stdout).toMatch(fact);
      expect(plain.stdout).not.toMatch(fact);
    }
    expect(verbose.stdout).toContain(`SHA-256 fingerprint: ${fingerprint}`);
    expect(plain.stdout).not.toContain(fingerprint);
    // The same checks and the same summary either way.
    const statusLines = (text: string) => text.split('\n').filter((line) => /^[✓!✗-] /.test(line)).map((line) => line.replace(/\d+ ms/g, 'N ms'));
    expect(statusLines(verbose.stdout).map((l) => l.slice(0, 20))).toEqual(statusLines(plain.stdout).map((l) => l.slice(0, 20)));
    expect(verbose.stdout.split('\n').length).toBeGreaterThan(plain.stdout.split('\n').length);
  });

  it('--yes without --fix is a usage error: exit 2, one message line, nothing checked', async () => {
    const p = await project('ok');
    const result = await runCli(['doctor', '--yes'], { cwd: p.dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(hasStackTrace(result.stderr)).toBe(false);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^✗ --yes only makes sense with --fix$/);
    // Only the message and its fix hint (the standard shape of every usage error).
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(result.stderr).toMatch(/sf-setup doctor --fix --yes/);
    expect(p.org.requests).toHaveLength(0);
  });

  it('--report FILE: versions, platform, certificate facts, timings; no key, token or assertion', async () => {
    const p = await project('ok');
    const result = await runCli(['doctor', '--timeout', '5', '--report', 'support.md'], { cwd: p.dir });
    expect(result.code).toBe(0);
    const report = await readFile(path.join(p.dir, 'support.md'), 'utf8');
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    // Versions and platform.
    expect(report).toContain(`sf-setup ${version}, Node.js ${process.versions.node}, ${process.platform}-${process.arch}`);
    // Every check, each with its time.
    const rows = report.split('\n').filter((line) => /^\| [✓!✗-] (pass|warn|fail|skip) \|/.test(line));
    expect(rows).toHaveLength(11);
    for (const row of rows) expect(row).toMatch(/\| \d+ ms \|$/);
    expect(report).toMatch(/Network to the token host \| 127\.0\.0\.1:\d+ answered \(.*total \d+ ms\)/);
    // Certificate facts, matching the certificate on disk.
    const cert = new X509Certificate(p.pair.certificatePem);
    expect(report).toMatch(/## Key and certificate/);
    expect(report).toContain(`- SHA-256 fingerprint: ${cert.fingerprint256}`);
    expect(report).toContain(`to ${new Date(cert.validTo).toISOString()}`);
    expect(report).toMatch(/- Certificate subject: .*CN=/);
    expect(report).toMatch(/- Key: RSA 2048 bits/);
    expect(report).toMatch(/- Key matches certificate: yes/);
    // No secrets: no PEM, no access token (the emulator logged its first 8 characters), no assertion.
    expect(report).not.toMatch(/-----BEGIN|PRIVATE KEY/);
    expect(report).not.toContain(p.pair.privateKeyPem.split('\n')[1]);
    // An access token is the org id's 15 characters, '!', then the secret part (the emulator's are like Salesforce's).
    expect(p.org.requests.some((r) => r.path === '/services/oauth2/token' && r.status === 200), 'a token was issued during the run').toBe(true);
    expect(report).not.toMatch(/00D[A-Za-z0-9]{12}!/);
    expect(report).not.toMatch(/![A-Za-z0-9._]{40,}/);
    expect(report).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+/);
    expect(report).not.toContain(p.org.clientId);
    expect((await import('node:fs')).statSync(path.join(p.dir, 'support.md')).mode & 0o077).toBe(0);
  });
});
