import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { chmod, copyFile, readFile, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScenarioName } from '../src/emulator/index.js';
import { createSelfSignedCertificate, DEFAULT_SUBJECT } from '../src/keys/index.js';
import { hasStackTrace, runCli, tempDir } from './helpers/cli.js';
import { giveToUser, runBinary } from './helpers/hardening.js';
import { closedPort, localServer } from './helpers/servers.js';
import { orgProject, type OrgProject } from './helpers/org.js';

interface DoctorJson {
  ok: boolean;
  org: string | null;
  checks: { id: string; title: string; status: string; detail: string; code?: string; fix?: string[]; evidence?: string[] }[];
  summary: { pass: number; warn: number; fail: number; skip: number };
}

const projects: OrgProject[] = [];
afterEach(async () => {
  while (projects.length) await projects.pop()!.org.close();
});
async function project(scenario: ScenarioName = 'ok', extra: Parameters<typeof orgProject>[0] = {}) {
  const p = await orgProject({ scenario, ...extra });
  projects.push(p);
  return p;
}
async function doctor(cwd: string, args: string[] = [], env: Record<string, string> = {}) {
  const result = await runCli(['doctor', '--json', '--timeout', '5', ...args], { cwd, env });
  expect(hasStackTrace(result.stderr), result.stderr).toBe(false);
  const json = JSON.parse(result.stdout) as DoctorJson;
  const check = (id: string) => json.checks.find((c) => c.id === id)!;
  return { ...result, json, check };
}

describe('doctor: all clear', () => {
  it('every check passes against a healthy org, exit 0', async () => {
    const p = await project('ok');
    const { code, json, check } = await doctor(p.dir);
    expect(code, JSON.stringify(json, null, 2)).toBe(0);
    expect(json.ok).toBe(true);
    expect(json.checks.map((c) => c.id)).toEqual(['runtime', 'config', 'environment', 'key', 'certificate', 'secrets', 'network', 'clock', 'token', 'api', 'privilege']);
    for (const id of ['runtime', 'config', 'environment', 'key', 'certificate', 'network', 'clock', 'token', 'api']) expect(check(id).status, id).toBe('pass');
    expect(json.summary.fail).toBe(0);
  });

  it('text output: symbols, a summary line, no escape codes when piped', async () => {
    const p = await project('ok');
    const result = await runCli(['doctor'], { cwd: p.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ Token request/);
    expect(result.stdout).toMatch(/\d+ passed/);
    expect(result.stdout).not.toMatch(/\u001b\[/);
  });

  it('--offline runs only local checks and never touches the org', async () => {
    const p = await project('ok');
    const { code, check } = await doctor(p.dir, ['--offline']);
    expect(code).toBe(0);
    for (const id of ['network', 'clock', 'token', 'api', 'privilege']) expect(check(id).status).toBe('skip');
    expect(p.org.requests).toHaveLength(0);
  });
});

/** Emulated-org failures: the token check's code, and a Salesforce setting its fix must name. */
const SCENARIOS: [ScenarioName, string, RegExp][] = [
  ['user_not_approved', 'user_not_approved', /Admin approved users are pre-authorized/],
  ['key_mismatch', 'invalid_signature', /Use digital signatures/],
  ['invalid_client_id', 'invalid_client_id', /Manage Consumer Details/],
  // No audience is set in these projects (it is derived): the token URL is what to check.
  ['audience_invalid', 'audience_invalid', /tokenUrl/],
  ['ip_restricted', 'ip_restricted', /Login IP Ranges/],
  ['login_hours', 'ip_restricted', /Login Hours/],
  ['user_inactive', 'user_inactive', /Setup > Users/],
  ['org_inactive', 'org_inactive', /org/],
  ['not_assigned', 'user_not_assigned', /Manage Profiles/],
  ['scope_missing', 'scope_missing', /Selected OAuth Scopes/],
  ['rate_limited', 'rate_limited', /Reuse the access token/],
  ['maintenance', 'unexpected_response', /status\.salesforce\.com/],
];

describe('doctor against each emulated failure', () => {
  it.each(SCENARIOS)('%s -> token check fails with %s', async (scenario, code, setting) => {
    const p = await project(scenario);
    const result = await doctor(p.dir);
    expect(result.code).toBe(1);
    const token = result.check('token');
    expect(token.status).toBe('fail');
    expect(token.code).toBe(code);
    expect(token.fix!.join('\n')).toMatch(setting);
  });

  it('--json says whether the causes are certain or a likely reading, as the text heading does', async () => {
    const sure = (await doctor((await project('user_not_approved')).dir)).check('token') as { causesHedged?: boolean };
    expect(sure.causesHedged).toBe(false);
    // "authentication failure" is Salesforce's vaguest refusal: its causes are a guess (facts sheet: low).
    const p = await project('ok');
    const vague = await localServer((req, res) => {
      res.writeHead(req.method === 'POST' ? 400 : 405, { 'content-type': 'application/json', date: new Date().toUTCString() });
      res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'authentication failure' }));
    });
    try {
      const hedged = (await doctor(p.dir, [], { SF_TOKEN_URL: `${vague.url}/services/oauth2/token`, SF_AUDIENCE: p.org.audience })).check('token') as { causesHedged?: boolean; code?: string };
      expect(hedged.code).toBe('authentication_failure');
      expect(hedged.causesHedged).toBe(true);
    } finally {
      await vague.close();
    }
  });

  it('user_not_approved prints the authorize URL ready to open', async () => {
    const p = await project('user_not_approved');
    const token = (await doctor(p.dir)).check('token');
    expect(token.fix!.join('\n')).toContain(`${p.org.url}/services/oauth2/authorize?response_type=code&client_id=${encodeURIComponent(p.org.clientId)}`);
  });

  it('after a rotation, the certificate to upload is the config\'s (certs/server-20990101.crt), in the doctor and in test', async () => {
    const p = await project('key_mismatch');
    // What `rotate --switch` leaves: the config points at the rotated pair; the app still has another certificate.
    await copyFile(path.join(p.dir, 'certs/server.key'), path.join(p.dir, 'certs/server-20990101.key'));
    await copyFile(path.join(p.dir, 'certs/server.crt'), path.join(p.dir, 'certs/server-20990101.crt'));
    const file = path.join(p.dir, '.sfconnect.json');
    const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...config, privateKeyPath: './certs/server-20990101.key', certificatePath: './certs/server-20990101.crt' }));
    const token = (await doctor(p.dir)).check('token');
    expect(token.code).toBe('invalid_signature');
    const fix = token.fix!.join('\n');
    expect(fix).toContain('Choose File (certs/server-20990101.crt)');
    expect(fix).not.toContain('certs/server.crt');
    const tested = await runCli(['test'], { cwd: p.dir });
    expect(tested.code).toBe(1);
    expect((tested.stdout + tested.stderr).replace(/\s+/g, ' ')).toContain('Choose File (certs/server-20990101.crt)');
    // explain knows no file: the usual name stays.
    expect((await runCli(['explain', 'invalid_grant: invalid assertion'])).stdout.replace(/\s+/g, ' ')).toContain('Choose File (certs/server.crt)');
  });

  it('ip_restricted names the egressIps of the config and the allowlist rules', async () => {
    const p = await project('ip_restricted');
    const file = path.join(p.dir, '.sfconnect.json');
    const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...config, egressIps: ['203.0.113.7', '198.51.100.20'] }));
    const result = await runCli(['doctor'], { cwd: p.dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/203\.0\.113\.7, 198\.51\.100\.20/);
    expect(result.stdout).toMatch(/Relax IP restrictions/);
    expect(result.stdout).toMatch(/IP Start Address = IP End Address/);
  });

  it('clock_ahead: the clock check fails with clock_skew and the token failure says so', async () => {
    const p = await project('clock_ahead');
    const result = await doctor(p.dir);
    expect(result.code).toBe(1);
    expect(result.check('clock')).toMatchObject({ status: 'fail', code: 'clock_skew' });
    const token = result.check('token');
    expect(token.code).toBe('assertion_expired');
    expect(token.evidence!.join(' ')).toMatch(/clock is \d+ s behind the token host's/);
  });

  it("this machine's clock ahead of the org's is a warning, not a failure: Salesforce accepts a later exp", async () => {
    const p = await project('ok');
    p.org.state.clockOffsetMs = -10 * 60_000; // the org's clock 10 minutes behind ours
    const result = await doctor(p.dir);
    expect(result.check('clock')).toMatchObject({ status: 'warn', code: 'clock_skew' });
    expect(result.check('clock').detail).toMatch(/^this machine's clock is (599|60\d) s ahead of the token host's: Salesforce accepts the assertions/);
    expect(result.check('token').status).toBe('pass');
    expect(result.code).toBe(0);
  });

  it('a slow org: the doctor ends within its timeout plus a second with timeout', async () => {
    const p = await project('slow', { slowMs: 10_000 });
    const started = Date.now();
    const result = await runCli(['doctor', '--json', '--timeout', '1'], { cwd: p.dir });
    expect(Date.now() - started).toBeLessThan(1000 + 1000 + 800 /* node start-up */);
    const json = JSON.parse(result.stdout) as DoctorJson;
    const failed = json.checks.find((c) => c.status === 'fail')!;
    expect(failed.code).toBe('timeout');
    expect(result.code).toBe(1);
  });

  it('a token that takes over 3 s is a warning (slow_response), not a silent pass', async () => {
    const p = await project('ok');
    // In front of the token endpoint only: its answers are held 3.2 s; the API calls go to the org.
    const slow = await localServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const forward = () => {
          const upstream = http.request(`${p.org.url}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(p.org.url).host } }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          });
          upstream.on('error', () => res.destroy());
          upstream.end(Buffer.concat(chunks));
        };
        setTimeout(forward, 3200);
      });
    });
    try {
      const result = await runCli(['doctor', '--json'], { cwd: p.dir, env: { SF_TOKEN_URL: `${slow.url}/services/oauth2/token`, SF_AUDIENCE: p.org.audience } });
      const json = JSON.parse(result.stdout) as DoctorJson;
      expect(json.checks.find((c) => c.id === 'token'), result.stdout).toMatchObject({ status: 'warn', code: 'slow_response' });
      expect(json.checks.find((c) => c.id === 'token')!.detail).toMatch(/token issued .* in 3\d{3} ms: slow/);
      // The clock check's request was slow too: it says how close it can tell, not "in sync".
      expect(json.checks.find((c) => c.id === 'clock')!.detail).toMatch(/^within [45] s of the token host/);
    } finally {
      await slow.close();
    }
  });

  it('the API requests go out together: a slow org costs three round trips, not six', async () => {
    const p = await project('ok');
    // In front of the whole org (the token answer names it as the instance): every request is held 300 ms.
    let inFlight = 0;
    let most = 0;
    const paths: string[] = [];
    const front = await localServer((req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      paths.push(new URL(req.url!, 'http://x').pathname);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        setTimeout(() => {
          const upstream = http.request(`${p.org.url}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(p.org.url).host } }, (answer) => {
            inFlight--;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          });
          upstream.on('error', () => res.destroy());
          upstream.end(Buffer.concat(chunks));
        }, 300);
      });
    });
    p.org.state.org.url = front.url;
    p.org.state.org.myDomain = front.url;
    try {
      const result = await doctor(p.dir, [], { SF_TOKEN_URL: `${front.url}/services/oauth2/token`, SF_INSTANCE_URL: front.url, SF_AUDIENCE: front.url });
      expect(result.code, result.stdout).toBe(0);
      expect(result.check('api').status).toBe('pass');
      expect(result.check('privilege').status).toBe('pass');
      // userinfo, the version list, the Organization query and the profile query, all at once.
      expect(paths.filter((x) => !x.startsWith('/services/oauth2/token'))).toHaveLength(4);
      expect(most).toBe(4);
    } finally {
      await front.close();
    }
  });

  it('least privilege: a System Administrator user is a warning naming the integration user', async () => {
    const p = await project('ok');
    const user = p.org.state.users[0];
    user.profile.name = 'System Administrator';
    p.org.state.apps[0].preAuthorizedProfiles.push('System Administrator');
    const result = await doctor(p.dir);
    expect(result.code).toBe(0);
    const check = result.check('privilege');
    expect(check).toMatchObject({ status: 'warn', code: 'least_privilege' });
    expect(check.fix!.join(' ')).toMatch(/Minimum Access - API Only Integrations/);
  });

  it('an unreachable host is network_unreachable', async () => {
    const p = await project('ok', { writeConfig: false });
    const port = await closedPort();
    const result = await doctor(p.dir, [], { ...p.env, SF_TOKEN_URL: `http://127.0.0.1:${port}/services/oauth2/token`, SF_INSTANCE_URL: `http://127.0.0.1:${port}` });
    expect(result.code).toBe(1);
    expect(result.check('network')).toMatchObject({ status: 'fail', code: 'network_unreachable' });
    expect(result.check('token').status).toBe('skip');
  });
});

describe('doctor: local faults', () => {
  it('no config: config_missing, exit 2', async () => {
    const dir = await tempDir();
    const result = await doctor(dir);
    expect(result.code).toBe(2);
    expect(result.check('config')).toMatchObject({ status: 'fail', code: 'config_missing' });
    expect(result.check('key').status).toBe('skip');
    // The error's own fix first; the general steps it already says are not repeated.
    const fix = result.check('config').fix!;
    expect(fix.filter((step) => /npx sf-setup/.test(step))).toHaveLength(1);
    expect(fix.filter((step) => /SF_CLIENT_ID/.test(step))).toHaveLength(1);
    expect(fix.at(-1)).toMatch(/--config path/);
  });

  it('bad JSON: config_invalid with line and column, exit 2', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, '.sfconnect.json'), '{\n  "clientId": "x",\n}\n');
    const result = await doctor(dir);
    expect(result.code).toBe(2);
    const config = result.check('config');
    expect(config).toMatchObject({ status: 'fail', code: 'config_invalid' });
    // The trailing comma is at the end of line 2.
    expect(config.detail).toMatch(/line 2, column 18: trailing comma/);
  });

  it('missing key: key_missing', async () => {
    const p = await project('ok');
    await chmod(p.keyPath, 0o600);
    execFileSync('rm', [p.keyPath]);
    const result = await doctor(p.dir);
    expect(result.code).toBe(1);
    expect(result.check('key')).toMatchObject({ status: 'fail', code: 'key_missing' });
  });

  it('world-readable key: key_permissions; --fix without a yes changes nothing; --fix --yes repairs', async () => {
    const p = await project('ok');
    await chmod(p.keyPath, 0o644);
    const result = await doctor(p.dir);
    expect(result.code).toBe(1);
    expect(result.check('key')).toMatchObject({ status: 'fail', code: 'key_permissions' });
    expect(result.check('key').fix!.join(' ')).toMatch(/chmod 600/);
    const noYes = await runCli(['doctor', '--fix'], { cwd: p.dir });
    expect(noYes.stdout).toMatch(/not changed: chmod 600/);
    expect((await stat(p.keyPath)).mode & 0o777).toBe(0o644);
    const fixed = await runCli(['doctor', '--fix', '--yes'], { cwd: p.dir });
    expect(fixed.stdout).toMatch(/now mode 0600/);
    expect((await stat(p.keyPath)).mode & 0o777).toBe(0o600);
    expect((await doctor(p.dir)).code).toBe(0);
  });

  it('encrypted key without a passphrase: key_encrypted; with SF_PRIVATE_KEY_PASSPHRASE it works', async () => {
    const p = await project('ok');
    const encrypted = createPrivateKey(p.pair.privateKeyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'open sesame' });
    await writeFile(p.keyPath, encrypted, { mode: 0o600 });
    const result = await doctor(p.dir);
    expect(result.check('key')).toMatchObject({ status: 'fail', code: 'key_encrypted' });
    expect(result.check('key').fix!.join(' ')).toMatch(/SF_PRIVATE_KEY_PASSPHRASE/);
    const withPass = await doctor(p.dir, [], { SF_PRIVATE_KEY_PASSPHRASE: 'open sesame' });
    expect(withPass.code, JSON.stringify(withPass.json.checks, null, 1)).toBe(0);
    expect(withPass.stdout + withPass.stderr).not.toContain('open sesame');
  });

  it('wrong key for the certificate: key_cert_mismatch, and the token failure is ranked as invalid_signature', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    const p = await project('ok');
    await writeFile(p.keyPath, other, { mode: 0o600 });
    const result = await doctor(p.dir);
    expect(result.code).toBe(1);
    expect(result.check('certificate')).toMatchObject({ status: 'fail', code: 'key_cert_mismatch' });
    const token = result.check('token');
    expect(token.code).toBe('invalid_signature');
    expect(token.evidence!.join(' ')).toMatch(/do not match/);
    // A new pair is the fix: not "upload the certificate made from this key" (the local one is not), and not
    // "run sf-setup doctor" from inside the doctor.
    expect(token.fix![0]).toMatch(/generate a new pair/);
    expect(token.fix!.join('\n')).not.toMatch(/^Upload the certificate made from this key|^Run `sf-setup doctor`/m);
  });

  it('expired certificate: certificate_expired (fail); expiring in 10 days: certificate_expiring (warn, exit 0; --strict exit 1)', async () => {
    const p = await project('ok');
    const key = createPrivateKey(p.pair.privateKeyPem);
    const day = 86_400_000;
    await writeFile(p.certificatePath, await createSelfSignedCertificate(key, { subject: DEFAULT_SUBJECT, notBefore: new Date(Date.now() - 400 * day), notAfter: new Date(Date.now() - 5 * day) }));
    const expired = await doctor(p.dir);
    expect(expired.code).toBe(1);
    expect(expired.check('certificate')).toMatchObject({ status: 'fail', code: 'certificate_expired' });
    expect(expired.check('certificate').fix!.join(' ')).toMatch(/sf-setup rotate/);
    // `test` passes (the org accepts it) but says so, in text and in --json.
    const tested = await runCli(['test'], { cwd: p.dir });
    expect(tested.code).toBe(0);
    expect(tested.stderr).toMatch(/^! certs\/server\.crt expired on \d{4}-\d\d-\d\d \(\d+ days ago\); Salesforce reportedly still accepts it, but rotate now: `sf-setup rotate`$/m);
    expect((JSON.parse((await runCli(['test', '--json'], { cwd: p.dir })).stdout) as { warnings: string[] }).warnings.join(' ')).toMatch(/expired on/);

    await writeFile(p.certificatePath, await createSelfSignedCertificate(key, { subject: DEFAULT_SUBJECT, notBefore: new Date(Date.now() - day), notAfter: new Date(Date.now() + 10 * day) }));
    const expiring = await doctor(p.dir);
    expect(expiring.code).toBe(0);
    const cert = expiring.check('certificate');
    expect(cert).toMatchObject({ status: 'warn', code: 'certificate_expiring' });
    expect(cert.detail).toMatch(/1[01] days left/);
    expect((await runCli(['test'], { cwd: p.dir })).stderr).toMatch(/^! certs\/server\.crt expires on .*: 1[01] days left; rotate before then/m);
    expect((await doctor(p.dir, ['--strict'])).code).toBe(1);
  });

  it('a key in a git repository that is not ignored: key_not_ignored; --fix --yes adds it to .gitignore', async () => {
    const p = await project('ok');
    await writeFile(path.join(p.dir, '.gitignore'), '.sfconnect.json\n');
    execFileSync('git', ['init', '-q'], { cwd: p.dir });
    const result = await doctor(p.dir, ['--offline']);
    expect(result.check('secrets')).toMatchObject({ status: 'warn', code: 'key_not_ignored' });
    await runCli(['doctor', '--offline', '--fix', '--yes'], { cwd: p.dir });
    expect(await readFile(path.join(p.dir, '.gitignore'), 'utf8')).toMatch(/^certs\/\*\.key\ncerts\/\*\.key\.\*\.bak$/m);
    expect((await doctor(p.dir, ['--offline'])).check('secrets').status).toBe('pass');
  });

  it('git too slow to answer (a slow fsmonitor hook): "could not check", never "not tracked" or "not ignored" (security review)', { timeout: 60_000 }, async () => {
    const p = await project('ok');
    await writeFile(path.join(p.dir, '.gitignore'), '.sfconnect.json\ncerts/*.key\n');
    execFileSync('git', ['init', '-q'], { cwd: p.dir });
    execFileSync('git', ['add', '-f', 'certs/server.key'], { cwd: p.dir });
    execFileSync('git', ['config', 'core.fsmonitor', 'sleep 8; echo'], { cwd: p.dir });
    const result = await doctor(p.dir, ['--offline']);
    const secrets = result.check('secrets');
    expect(secrets.status, secrets.detail).toBe('skip');
    expect(secrets.detail).toMatch(/git did not answer within 5 s/);
    expect(result.code).toBe(0);
  });

  it('a tracked key: key_in_git (fail); --fix --yes git-ignores it, as the fix steps say (untracking and rotating stay the user\'s)', async () => {
    const p = await project('ok');
    await writeFile(path.join(p.dir, '.gitignore'), '.sfconnect.json\n');
    execFileSync('git', ['init', '-q'], { cwd: p.dir });
    execFileSync('git', ['add', '-f', 'certs/server.key'], { cwd: p.dir });
    const result = await doctor(p.dir, ['--offline']);
    expect(result.check('secrets')).toMatchObject({ status: 'fail', code: 'key_in_git' });
    // Staged only: unstaging is enough, no rotation.
    expect(result.check('secrets').detail).toMatch(/staged for commit \(not committed yet\)/);
    expect(result.check('secrets').fix![0]).toMatch(/^Unstage it .*git rm --cached certs\/server\.key/);
    expect(result.check('secrets').fix!.join(' ')).toMatch(/`sf-setup doctor --fix` adds them to \.gitignore/);
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'oops'], { cwd: p.dir });
    const committed = (await doctor(p.dir, ['--offline'])).check('secrets');
    expect(committed.detail).toMatch(/is committed to git/);
    expect(committed.fix![0]).toMatch(/Treat the key as leaked/);
    expect(result.code).toBe(1);
    await runCli(['doctor', '--offline', '--fix', '--yes'], { cwd: p.dir });
    expect(await readFile(path.join(p.dir, '.gitignore'), 'utf8')).toMatch(/^certs\/\*\.key\ncerts\/\*\.key\.\*\.bak$/m);
    // Still tracked: still a failure until the user untracks it, and --fix has nothing more to offer (adding
    // it to .gitignore again would change nothing).
    expect((await doctor(p.dir, ['--offline'])).check('secrets').code).toBe('key_in_git');
    const again = await runCli(['doctor', '--offline'], { cwd: p.dir });
    expect(again.stdout).toMatch(/is committed to git/);
    expect(again.stdout).not.toMatch(/--fix can do this: add certs\/server\.key/);
    expect(again.stdout).not.toMatch(/`sf-setup doctor --fix` adds them to \.gitignore/);
  });

  it('sandbox username against a production token URL: environment_mismatch', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, '.sfconnect.json'), JSON.stringify({ instanceUrl: 'https://acme.my.salesforce.com', apiVersion: 'v59.0', authType: 'jwt', tokenUrl: 'https://login.salesforce.com/services/oauth2/token', clientId: '3MVG9abcdefghijk', username: 'me@acme.com.uat', privateKeyPath: './certs/server.key', algorithm: 'RS256' }));
    const result = await doctor(dir, ['--offline']);
    expect(result.check('environment')).toMatchObject({ status: 'warn', code: 'environment_mismatch' });
    expect(result.check('environment').fix!.join(' ')).toMatch(/test\.salesforce\.com/);
  });
});

describe('doctor --report and --all', () => {
  it('writes a Markdown report with masked identities and no secrets', async () => {
    const p = await project('user_not_approved');
    const result = await runCli(['doctor', '--report', 'support.md'], { cwd: p.dir });
    expect(result.code).toBe(1);
    const report = await readFile(path.join(p.dir, 'support.md'), 'utf8');
    expect(report).toMatch(/# sf-setup doctor report/);
    expect(report).toMatch(/user hasn't approved this consumer/);
    // The causes, as the doctor ranked them, are in the report too.
    expect(report).toMatch(/(Likely causes|Causes), most likely first.*:\n\n- Permitted Users is/);
    expect(report).toMatch(/\| tokenUrl \| .+ \| file \|/);
    expect(report).not.toContain(p.org.clientId);
    expect(report).not.toContain(p.org.username);
    // The authorize URL is one to open: a placeholder says what goes where the key was, not a masked key.
    expect(report).toMatch(/\/services\/oauth2\/authorize\?response_type=code&client_id=YOUR_CONSUMER_KEY&redirect_uri=/);
    expect(report).not.toMatch(/PRIVATE KEY|eyJ[A-Za-z0-9_-]{10,}\./);
    const body = p.pair.privateKeyPem.split('\n')[1];
    expect(report).not.toContain(body);
  });

  it('--all checks every org concurrently and shows a board', async () => {
    const good = await project('ok');
    const bad = await project('ip_restricted');
    const read = async (p: OrgProject) => JSON.parse(await readFile(path.join(p.dir, '.sfconnect.json'), 'utf8')) as Record<string, unknown>;
    const multi = { defaultOrg: 'prod', orgs: { prod: await read(good), uat: { ...(await read(bad)), privateKeyPath: good.keyPath } } };
    await writeFile(path.join(good.dir, '.sfconnect.json'), JSON.stringify(multi, null, 2));
    const board = await runCli(['doctor', '--all'], { cwd: good.dir });
    expect(board.code).toBe(1);
    expect(board.stdout).toMatch(/prod · OK/);
    expect(board.stdout).toMatch(/uat · FAIL/);
    expect(board.stdout).toMatch(/ip_restricted/);
    const json = await runCli(['doctor', '--all', '--json'], { cwd: good.dir });
    const all = JSON.parse(json.stdout) as { ok: boolean; orgs: DoctorJson[] };
    expect(all.ok).toBe(false);
    expect(all.orgs.map((r) => [r.org, r.ok])).toEqual([['prod', true], ['uat', false]]);

    // --all --report: one file, every org's report in turn, each masked (it used to write nothing).
    const reported = await runCli(['doctor', '--all', '--report', 'all.md'], { cwd: good.dir });
    expect(reported.code).toBe(1);
    expect(reported.stdout).toMatch(/Report written to all\.md/);
    const report = await readFile(path.join(good.dir, 'all.md'), 'utf8');
    expect(report.match(/^# sf-setup doctor report$/gm)).toHaveLength(2);
    expect(report).toMatch(/- Org: prod; result: OK/);
    expect(report).toMatch(/- Org: uat; result: FAILED/);
    expect(report).toMatch(/ip restricted/i);
    for (const secret of [good.org.clientId, good.org.username, bad.org.clientId, bad.org.username]) expect(report).not.toContain(secret);
    expect((await stat(path.join(good.dir, 'all.md'))).mode & 0o777).toBe(0o600);

    // Flags that cannot go with --all are said at once.
    for (const args of [['--org', 'prod'], ['--fix']]) {
      const refused = await runCli(['doctor', '--all', ...args], { cwd: good.dir });
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr).toMatch(/^✗ .+\n  fix: /);
    }
  });

  it('a report that cannot be written is refused before any check runs (exit 2, the fix names the folder)', async () => {
    const p = await project('ok');
    const missing = await runCli(['doctor', '--report', 'no-such-folder/r.md'], { cwd: p.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot write .*no-such-folder\/r\.md: the folder does not exist/);
    expect(missing.stderr).toMatch(/fix: create .*no-such-folder first/);
    expect(missing.stdout).not.toMatch(/Config|Token/);
    const folder = await runCli(['doctor', '--report', '.'], { cwd: p.dir });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/the path is a folder[\s\S]*fix: name a file/);
  });

  it('never writes a report over a file that is not an earlier report (the key, the config); an earlier report is replaced', async () => {
    const p = await project('ok');
    for (const target of [path.relative(p.dir, p.keyPath), '.sfconnect.json']) {
      const before = await readFile(path.join(p.dir, target), 'utf8');
      for (const args of [['doctor', '--report', target], ['doctor', '--json', '--report', target], ['doctor', '--all', '--report', target]]) {
        const refused = await runCli(args, { cwd: p.dir });
        expect(refused.code, args.join(' ')).toBe(2);
        // Text on stderr; with --json, the error is the JSON on stdout.
        const said = `${refused.stderr}${refused.stdout}`;
        expect(said).toMatch(/exists and is not an sf-setup report; it was left as it is/);
        expect(said).toMatch(/name a new file for the report/);
      }
      expect(await readFile(path.join(p.dir, target), 'utf8')).toBe(before);
    }
    // A file that cannot be read to tell (no read permission), and one that is not a file (a FIFO, which an
    // open would wait on forever), are refused too.
    const writeOnly = path.join(p.dir, 'write-only.key');
    await writeFile(writeOnly, 'secret', { mode: 0o200 });
    execFileSync('mkfifo', [path.join(p.dir, 'pipe')]);
    // As an ordinary user (root reads any file), owning the folder as the user would.
    await giveToUser(p.dir);
    for (const target of ['write-only.key', 'pipe']) {
      const refused = await runBinary(['doctor', '--offline', '--report', target], { cwd: p.dir, asUser: true });
      expect(refused.code, `${target}: ${refused.stderr}`).toBe(2);
      expect(refused.stderr).toMatch(/(is not an sf-setup report|cannot be read to tell whether it is an earlier report); it was left as it is/);
    }
    await chmod(writeOnly, 0o600);
    expect(await readFile(writeOnly, 'utf8')).toBe('secret');
    expect((await runCli(['doctor', '--report', 'support.md'], { cwd: p.dir })).code).toBe(0);
    const first = await readFile(path.join(p.dir, 'support.md'), 'utf8');
    expect((await runCli(['doctor', '--report', 'support.md'], { cwd: p.dir })).code).toBe(0);
    expect(await readFile(path.join(p.dir, 'support.md'), 'utf8')).not.toBe(first);
  });
});

describe("doctor: the run's time limit", () => {
  it('a network check that would start after 3 × --timeout fails as a timeout, saying why; slow local checks before do not use the limit up', async () => {
    const { createState, runChecks, RUN_LIMIT_TIMEOUTS } = await import('../src/doctor/run.js');
    const state = createState(await tempDir(), {}, { offline: false, timeoutMs: 20 });
    const limit = 20 * RUN_LIMIT_TIMEOUTS;
    const pause = () => new Promise((resolve) => setTimeout(resolve, limit + 30));
    let deadlineSeen: number | undefined;
    const checks = [
      // Longer than the whole limit, but local (git in a large repository): the limit has not started.
      { id: 'git', title: 'Slow local step', run: async () => (await pause(), { status: 'pass' as const, detail: 'local' }) },
      {
        id: 'slow',
        title: 'Slow request',
        network: true,
        run: async (s: typeof state) => {
          deadlineSeen = s.http.deadline?.limitMs;
          await pause();
          return { status: 'pass' as const, detail: 'answered' };
        },
      },
      { id: 'reads', title: 'Reads an earlier answer', network: true, sendsNothing: true, run: async () => ({ status: 'pass' as const, detail: 'ran' }) },
      { id: 'late', title: 'Late request', network: true, run: async () => ({ status: 'pass' as const, detail: 'ran' }) },
      { id: 'local', title: 'Local step', run: async () => ({ status: 'pass' as const, detail: 'ran' }) },
    ];
    const report = await runChecks(checks, state);
    expect(deadlineSeen).toBe(60);
    expect(report.checks.map((c) => [c.id, c.status, c.code, c.detail])).toEqual([
      ['git', 'pass', undefined, 'local'],
      ['slow', 'pass', undefined, 'answered'],
      ['reads', 'pass', undefined, 'ran'],
      ['late', 'fail', 'timeout', "not run: the run's time limit of 0.06 s (3 × --timeout) ran out before it"],
      ['local', 'pass', undefined, 'ran'],
    ]);
    expect(report.exitCode).toBe(1);
  });
});

describe('small wrong messages (security review)', () => {
  it('a key path that is a device is "not a regular file", not "a folder"; --report "" is a usage error, not a silent no-report', async () => {
    const p = await project('ok');
    const dev = await doctor(p.dir, ['--offline'], { SF_PRIVATE_KEY_PATH: '/dev/zero' });
    expect(dev.check('key').detail).toBe('/dev/zero is not a regular file (a FIFO, a socket or a device), not a key file');
    const empty = await runCli(['doctor', '--offline', '--report', ''], { cwd: p.dir });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/--report needs a file name/);
  });
});
