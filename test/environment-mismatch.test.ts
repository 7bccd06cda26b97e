/**
 * environment_mismatch in both directions: a sandbox-looking username against a production token URL, and a
 * production-looking username (no .sandboxname suffix) against a sandbox token URL (test.salesforce.com or a
 * sandbox My Domain); and an audience that does not fit the token URL. The functions, then the real binary
 * (`doctor --json --offline`, no network).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { audienceMismatch, environmentMismatch, sandboxSuffix, tokenHostEnvironment } from '../src/salesforce/environment.js';
import { hasStackTrace, runCli, tempDir } from './helpers/cli.js';
import { orgProject, sharedKeyPair, type OrgProject } from './helpers/org.js';

const LOGIN = 'https://login.salesforce.com/services/oauth2/token';
const TEST = 'https://test.salesforce.com/services/oauth2/token';
const SANDBOX_MY_DOMAIN = 'https://acme--uat.sandbox.my.salesforce.com/services/oauth2/token';
const OLD_SANDBOX_MY_DOMAIN = 'https://acme--uat.my.salesforce.com/services/oauth2/token';
const PRODUCTION_MY_DOMAIN = 'https://acme.my.salesforce.com/services/oauth2/token';
const LOOPBACK = 'http://127.0.0.1:4567/services/oauth2/token';

describe('tokenHostEnvironment', () => {
  it.each([
    [LOGIN, 'production'],
    [TEST, 'sandbox'],
    [SANDBOX_MY_DOMAIN, 'sandbox'],
    [OLD_SANDBOX_MY_DOMAIN, 'sandbox'],
    // A production org's My Domain (and a Developer Edition's) is production; other My Domain forms are not told.
    [PRODUCTION_MY_DOMAIN, 'production'],
    ['https://acme-dev-ed.develop.my.salesforce.com/services/oauth2/token', 'production'],
    ['https://power-site-1234.scratch.my.salesforce.com/services/oauth2/token', 'unknown'],
    ['https://acme.my.salesforce.mil/services/oauth2/token', 'unknown'],
    [LOOPBACK, 'unknown'],
  ])('%s -> %s', (url, kind) => {
    expect(tokenHostEnvironment(url)).toBe(kind);
  });
});

describe('sandboxSuffix', () => {
  it.each([
    ['me@acme.com.uat', 'uat'],
    ['me@acme.com.dev', 'dev'],
    ['Me@Acme.COM.Full', 'full'],
    ['me@acme.co.uk.uat', 'uat'],
    ['me@acme.com', undefined],
    ['me@mail.acme.com', undefined],
    ['me@acme.io', undefined],
    ['not-an-email', undefined],
  ])('%s -> %s', (username, suffix) => {
    expect(sandboxSuffix(username)).toBe(suffix);
  });
});

describe('environmentMismatch', () => {
  it('a sandbox username against the production token URL', () => {
    expect(environmentMismatch(LOGIN, 'me@acme.com.uat')).toMatch(/ends in "\.uat" like a sandbox username, but the token URL is production \(login\.salesforce\.com\)/);
    expect(environmentMismatch(PRODUCTION_MY_DOMAIN, 'me@acme.com.uat')).toMatch(/but the token URL is production \(acme\.my\.salesforce\.com\)/);
  });

  it.each([TEST, SANDBOX_MY_DOMAIN, OLD_SANDBOX_MY_DOMAIN])('the reverse: a production username against the sandbox host %s', (url) => {
    expect(environmentMismatch(url, 'me@acme.com')).toMatch(/token URL is a sandbox host, but the username has no \.sandboxname suffix/);
  });

  it.each([
    [LOGIN, 'me@acme.com'],
    [TEST, 'me@acme.com.uat'],
    [SANDBOX_MY_DOMAIN, 'me@acme.com.uat'],
    [TEST, 'me@acme.co.uk.uat'],
    [PRODUCTION_MY_DOMAIN, 'me@acme.com'],
    // The emulator (and a scratch org's My Domain) does not tell sandbox from production: no claim either way.
    ['https://power-site-1234.scratch.my.salesforce.com/services/oauth2/token', 'me@acme.com.uat'],
    [LOOPBACK, 'me@acme.com'],
    [LOOPBACK, 'me@acme.com.uat'],
  ])('no mismatch: %s with %s', (url, username) => {
    expect(environmentMismatch(url, username)).toBeNull();
  });
});

/** A project with a real key and certificate and the given token URL and username; only the environment can be wrong. */
async function project(tokenUrl: string, username: string, instanceUrl: string): Promise<string> {
  const dir = await tempDir();
  const pair = await sharedKeyPair();
  await mkdir(path.join(dir, 'certs'), { mode: 0o700 });
  await writeFile(path.join(dir, 'certs', 'server.key'), pair.privateKeyPem, { mode: 0o600 });
  await writeFile(path.join(dir, 'certs', 'server.crt'), pair.certificatePem, { mode: 0o644 });
  await writeFile(path.join(dir, '.gitignore'), 'certs/server.key\n.sfconnect.json\n');
  const config = { instanceUrl, apiVersion: 'v59.0', authType: 'jwt', tokenUrl, clientId: '3MVG9abcdefghijk', username, privateKeyPath: './certs/server.key', algorithm: 'RS256' };
  await writeFile(path.join(dir, '.sfconnect.json'), `${JSON.stringify(config, null, 2)}\n`);
  return dir;
}

interface DoctorJson {
  ok: boolean;
  checks: { id: string; status: string; code?: string; detail: string; fix?: string[] }[];
}

async function offlineDoctor(dir: string) {
  const result = await runCli(['doctor', '--json', '--offline'], { cwd: dir });
  expect(hasStackTrace(result.stderr), result.stderr).toBe(false);
  const json = JSON.parse(result.stdout) as DoctorJson;
  return { code: result.code, json, environment: json.checks.find((c) => c.id === 'environment')! };
}

describe('sf-setup doctor --offline (real binary): environment_mismatch', () => {
  it('a production username against test.salesforce.com is a warning (a user made in a sandbox may have no suffix), exit 0', async () => {
    const dir = await project(TEST, 'integration@acme.com', 'https://acme--uat.sandbox.my.salesforce.com');
    const { code, json, environment } = await offlineDoctor(dir);
    expect(environment).toMatchObject({ status: 'warn', code: 'environment_mismatch' });
    expect(environment.detail).toMatch(/sandbox host, but the username has no \.sandboxname suffix/);
    expect(environment.fix!.join(' ')).toMatch(/username with its \.sandboxname suffix/);
    expect(json.ok).toBe(true);
    expect(code).toBe(0);
    // --strict makes it count.
    expect((await runCli(['doctor', '--offline', '--json', '--strict'], { cwd: dir })).code).toBe(1);
  });

  it('an audience that does not fit fails, and is named first even with a username hint', async () => {
    const dir = await project(TEST, 'integration@acme.com', 'https://acme--uat.sandbox.my.salesforce.com');
    const file = path.join(dir, '.sfconnect.json');
    await writeFile(file, JSON.stringify({ ...JSON.parse(await readFile(file, 'utf8')), audience: 'https://login.salesforce.com' }));
    const { code, environment } = await offlineDoctor(dir);
    expect(environment).toMatchObject({ status: 'fail', code: 'environment_mismatch' });
    expect(environment.detail).toMatch(/^the audience https:\/\/login\.salesforce\.com .*; and the token URL is a sandbox host, but the username has no \.sandboxname suffix/);
    expect(environment.fix![0]).toMatch(/audience/i);
    expect(code).toBe(1);
  });

  it('the same username against login.salesforce.com passes it, exit 0', async () => {
    const dir = await project(LOGIN, 'integration@acme.com', 'https://acme.my.salesforce.com');
    const { code, json, environment } = await offlineDoctor(dir);
    expect(environment.status).toBe('pass');
    expect(json.checks.filter((c) => c.status === 'fail'), JSON.stringify(json.checks, null, 2)).toEqual([]);
    expect(code).toBe(0);
  });

  it('the sandbox username against test.salesforce.com passes too', async () => {
    const dir = await project(TEST, 'integration@acme.com.uat', 'https://acme--uat.sandbox.my.salesforce.com');
    const { environment } = await offlineDoctor(dir);
    expect(environment.status).toBe('pass');
  });
});

describe('country domains are not sandbox suffixes', () => {
  it.each(['me@acme.co.uk', 'me@acme.com.au', 'me@acme.com.br', 'me@acme.co.nz', 'me@acme.org.uk'])('%s has no suffix and is fine against login.salesforce.com', (username) => {
    expect(sandboxSuffix(username)).toBeUndefined();
    expect(environmentMismatch(LOGIN, username)).toBeNull();
  });

  it('and a production co.uk username against test.salesforce.com is the reverse mismatch', () => {
    expect(environmentMismatch(TEST, 'me@acme.co.uk')).toMatch(/sandbox host/);
  });
});

describe('sandbox names that are country codes outside the known list stay suffixes', () => {
  it('me@acme.com.qa is the "qa" sandbox', () => {
    expect(sandboxSuffix('me@acme.com.qa')).toBe('qa');
    expect(environmentMismatch(LOGIN, 'me@acme.com.qa')).toMatch(/"\.qa"/);
  });
});

describe('audienceMismatch: the aud must fit the token URL (Salesforce: "audience is invalid")', () => {
  it.each([
    [LOGIN, 'https://login.salesforce.com'],
    [TEST, 'https://test.salesforce.com'],
    ['https://acme.my.salesforce.com/services/oauth2/token', 'https://acme.my.salesforce.com'],
    // A production My Domain accepts the production login host as aud, a sandbox My Domain the sandbox one.
    ['https://acme.my.salesforce.com/services/oauth2/token', 'https://login.salesforce.com'],
    ['https://acme--uat.sandbox.my.salesforce.com/services/oauth2/token', 'https://test.salesforce.com'],
    ['http://127.0.0.1:4567/services/oauth2/token', 'https://login.salesforce.com'],
  ])('%s with aud %s fits', (tokenUrl, audience) => {
    expect(audienceMismatch(tokenUrl, audience)).toBeNull();
  });

  it.each([
    [TEST, 'https://login.salesforce.com', /for production, but the token URL \(test\.salesforce\.com\) is a sandbox/],
    [LOGIN, 'https://test.salesforce.com', /for sandboxes, but the token URL \(login\.salesforce\.com\) is production/],
    ['https://acme--uat.sandbox.my.salesforce.com/services/oauth2/token', 'https://login.salesforce.com', /for production/],
    [LOGIN, 'https://acme.my.salesforce.com', /another host than the token URL's \(https:\/\/login\.salesforce\.com\)/],
    // The sandbox login host as aud of a production My Domain (support review: it passed).
    ['https://acme.my.salesforce.com/services/oauth2/token', 'https://test.salesforce.com', /for sandboxes, but the token URL \(acme\.my\.salesforce\.com\) is production/],
    ['https://acme.my.salesforce.com/services/oauth2/token', 'https://other.my.salesforce.com', /another host/],
  ])('%s with aud %s does not', (tokenUrl, audience, message) => {
    expect(audienceMismatch(tokenUrl, audience)).toMatch(message);
  });
});

const projects: OrgProject[] = [];
afterEach(async () => {
  while (projects.length) await projects.pop()!.org.close();
});

describe('doctor: the environment check compares the token URL with the audience too', () => {
  it('a production aud with the sandbox token URL (and a sandbox username) fails environment_mismatch, with the audience fix', async () => {
    const p = await orgProject({ scenario: 'ok' });
    projects.push(p);
    const configPath = path.join(p.dir, '.sfconnect.json');
    const config = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, string>;
    config.username = `${config.username}.uat`;
    await writeFile(configPath, JSON.stringify({ ...config, tokenUrl: TEST, audience: 'https://login.salesforce.com' }, null, 2));
    const result = await runCli(['doctor', '--offline', '--json'], { cwd: p.dir });
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as { checks: { id: string; status: string; code?: string; detail: string; fix?: string[] }[] };
    const environment = json.checks.find((c) => c.id === 'environment')!;
    expect(environment.status).toBe('fail');
    expect(environment.code).toBe('environment_mismatch');
    expect(environment.detail).toMatch(/audience https:\/\/login\.salesforce\.com is for production/);
    expect(environment.fix!.join(' ')).toMatch(/Remove "audience"/);
    // The causes are the audience's too, not the username's.
    expect((environment as { causes?: string[] }).causes?.[0]).toMatch(/production audience .* sent to a sandbox/);


    // The username agrees with the host now, so only the audience is wrong: the fix is about the audience.
    expect(config.username).toMatch(/\.uat$/);
  });
});
