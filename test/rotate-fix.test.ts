import { createPrivateKey } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSelfSignedCertificate, DEFAULT_SUBJECT, keyMatchesCertificate, loadCertificate, loadPrivateKey } from '../src/keys/index.js';
import { runCli } from './helpers/cli.js';
import { localServer } from './helpers/servers.js';
import { orgProject, type OrgProject } from './helpers/org.js';

const projects: OrgProject[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (projects.length) await projects.pop()!.org.close();
  while (closers.length) await closers.pop()!();
});
async function project(...args: Parameters<typeof orgProject>) {
  const p = await orgProject(...args);
  projects.push(p);
  return p;
}
const DAY = 86_400_000;

describe('sf-setup rotate', () => {
  it('makes a new pair beside the old, switches only after a token test with it passes, keeps the old files', async () => {
    const p = await project({ scenario: 'ok' });
    const step1 = await runCli(['rotate'], { cwd: p.dir });
    expect(step1.code, step1.stderr).toBe(0);
    const switchArg = /sf-setup rotate --switch (\S+)/.exec(step1.stdout)?.[1];
    expect(switchArg).toMatch(/^certs\/server-\d{8}\.key$/);
    const newKey = path.join(p.dir, switchArg!);
    const newCert = newKey.replace(/\.key$/, '.crt');
    expect(keyMatchesCertificate(loadPrivateKey({ path: newKey }), loadCertificate({ path: newCert }))).toBe(true);
    const configBefore = await readFile(path.join(p.dir, '.sfconnect.json'), 'utf8');

    // Not uploaded yet: the test with the new key fails and nothing is switched.
    const early = await runCli(['rotate', '--switch', switchArg!], { cwd: p.dir });
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/invalid assertion|invalid_signature/);
    // The cause is the upload, not a key mismatch the doctor could find (it checks the old, configured key).
    expect(early.stderr).toMatch(/the app does not have certs\/server-\d{8}\.crt yet/);
    expect(early.stderr).toMatch(/fix: upload certs\/server-\d{8}\.crt .*sf-setup rotate --switch certs\/server-\d{8}\.key/);
    expect(early.stderr).not.toMatch(/sf-setup doctor/);
    expect(await readFile(path.join(p.dir, '.sfconnect.json'), 'utf8')).toBe(configBefore);

    // The user uploads the new certificate; now the switch goes through.
    p.org.uploadCertificate(await readFile(newCert, 'utf8'));
    const done = await runCli(['rotate', '--switch', switchArg!], { cwd: p.dir });
    expect(done.code, done.stderr).toBe(0);
    const config = JSON.parse(await readFile(path.join(p.dir, '.sfconnect.json'), 'utf8')) as Record<string, string>;
    expect(config.privateKeyPath).toBe(`./${switchArg}`);
    expect(config.certificatePath).toBe(`./${switchArg!.replace(/\.key$/, '.crt')}`);
    expect((await readdir(path.join(p.dir, 'certs'))).sort()).toEqual(expect.arrayContaining(['server.key', 'server.crt']));
    expect((await runCli(['test'], { cwd: p.dir })).code).toBe(0);
  });
});

describe('doctor --fix repairs', () => {
  it('an expiring certificate: --fix --yes starts a rotation and changes nothing else', async () => {
    const p = await project({ scenario: 'ok' });
    const key = createPrivateKey(p.pair.privateKeyPem);
    const pem = await createSelfSignedCertificate(key, { subject: DEFAULT_SUBJECT, notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 10 * DAY) });
    await writeFile(p.certificatePath, pem);
    p.org.uploadCertificate(pem);
    const configBefore = await readFile(path.join(p.dir, '.sfconnect.json'), 'utf8');
    const result = await runCli(['doctor', '--fix', '--yes'], { cwd: p.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/new pair: certs\/server-\d{8}\.key/);
    expect(result.stdout).toMatch(/sf-setup rotate --switch certs\/server-\d{8}\.key/);
    expect(await readFile(path.join(p.dir, '.sfconnect.json'), 'utf8')).toBe(configBefore);
  });

  it('instanceUrl set to a login host: the doctor warns and --fix --yes writes the instance_url Salesforce returned', async () => {
    const p = await project({ scenario: 'ok' });
    const file = path.join(p.dir, '.sfconnect.json');
    const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...config, instanceUrl: 'https://login.salesforce.com' }, null, 2));
    const before = await runCli(['doctor', '--json'], { cwd: p.dir });
    const checks = (JSON.parse(before.stdout) as { checks: { id: string; status: string; code?: string }[] }).checks;
    expect(checks.find((c) => c.id === 'environment')).toMatchObject({ status: 'warn', code: 'instance_url_login_host' });
    expect(checks.find((c) => c.id === 'token')).toMatchObject({ status: 'warn', code: 'instance_url_login_host' });
    const fixed = await runCli(['doctor', '--fix', '--yes'], { cwd: p.dir });
    expect(fixed.stdout).toMatch(new RegExp(`instanceUrl is now ${p.org.url.replace(/\./g, '\\.')}`));
    expect((JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>).instanceUrl).toBe(p.org.url);
    const after = await runCli(['doctor', '--json'], { cwd: p.dir });
    expect(after.code).toBe(0);
    expect((JSON.parse(after.stdout) as { summary: { warn: number } }).summary.warn).toBe(0);
  });

  it('--fix without a terminal and without --yes changes nothing and says how to accept', async () => {
    const p = await project({ scenario: 'ok' });
    const file = path.join(p.dir, '.sfconnect.json');
    const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    const text = JSON.stringify({ ...config, instanceUrl: 'https://login.salesforce.com' }, null, 2);
    await writeFile(file, text);
    const result = await runCli(['doctor', '--fix'], { cwd: p.dir });
    expect(result.stdout).toMatch(/not changed: set instanceUrl .*add --yes/);
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});

describe('doctor --detect-ip', () => {
  it('on ip_restricted, asks the IP service (only then) and names the address to allow', async () => {
    const p = await project({ scenario: 'ip_restricted' });
    const asked: string[] = [];
    const service = await localServer((req, res) => {
      asked.push(req.url ?? '');
      res.end('203.0.113.99');
    });
    closers.push(service.close);
    const without = await runCli(['doctor'], { cwd: p.dir, env: { SF_SETUP_IP_SERVICE: service.url } });
    expect(without.stdout).toMatch(/--detect-ip/);
    expect(asked).toHaveLength(0);
    const withIp = await runCli(['doctor', '--detect-ip'], { cwd: p.dir, env: { SF_SETUP_IP_SERVICE: service.url } });
    expect(withIp.code).toBe(1);
    expect(asked).toHaveLength(1);
    expect(withIp.stdout).toMatch(/public address \(as 127\.0\.0\.1:\d+ sees it\) is 203\.0\.113\.99: add a range with IP Start Address 203\.0\.113\.99 and IP End Address 203\.0\.113\.99/);
  });
});
