import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyTokenHost, deriveAudience, didYouMean, ensureGitignore, keyIgnoreEntries, loadConfig, maskClientId, maskUsername, parseJsonStrict, readConfigFile, setDefaultOrg, validateOrgConfig, writeConfig } from '../src/config/index.js';
import { UserError } from '../src/errors.js';
import { tempDir } from './helpers/cli.js';

const GOOD = {
  instanceUrl: 'https://acme.my.salesforce.com',
  apiVersion: 'v59.0',
  authType: 'jwt',
  tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
  clientId: '3MVG9abcdefghijklmnopqrstuvwxyz',
  username: 'me@acme.com',
  privateKeyPath: './certs/server.key',
  algorithm: 'RS256',
};

async function project(content: unknown, name = '.sfconnect.json'): Promise<string> {
  const dir = await tempDir();
  await writeFile(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return dir;
}

async function loadError(dir: string, env: NodeJS.ProcessEnv = {}, extra: { org?: string; configPath?: string } = {}): Promise<UserError> {
  try {
    await loadConfig({ cwd: dir, env, ...extra });
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig: sources', () => {
  it('from the file, with defaults derived and each field sourced', async () => {
    const dir = await project({ ...GOOD, apiVersion: undefined, authType: undefined, algorithm: undefined });
    const config = await loadConfig({ cwd: dir, env: {} });
    expect(config.configPath).toBe(path.join(dir, '.sfconnect.json'));
    expect(config.values).toMatchObject({ clientId: GOOD.clientId, apiVersion: 'v59.0', audience: 'https://login.salesforce.com', authType: 'jwt' });
    expect(config.values.privateKeyPath).toBe(path.join(dir, 'certs/server.key'));
    expect(config.values.certificatePath).toBe(path.join(dir, 'certs/server.crt'));
    expect(config.sources).toMatchObject({ clientId: 'file', apiVersion: 'default', audience: 'default', certificatePath: 'default' });
  });

  it.each([
    ['./certs/jwt.pem', 'certs/jwt.crt'],
    ['./certs/AuthKey.p8', 'certs/AuthKey.crt'],
    ['./certs/server', 'certs/server.crt'],
    // The certificate given as the key: its own file, so the key check alone reports it (no "server.crt.crt").
    ['./certs/server.crt', 'certs/server.crt'],
    ['./.keys/server.key', '.keys/server.crt'],
  ])('the certificate beside key %s defaults to %s', async (keyPath, certificate) => {
    const dir = await project({ ...GOOD, privateKeyPath: keyPath });
    const config = await loadConfig({ cwd: dir, env: {} });
    expect(config.values.certificatePath).toBe(path.join(dir, certificate));
  });

  it('from the environment only (CI), with the inline key normalised', async () => {
    const dir = await tempDir();
    const config = await loadConfig({
      cwd: dir,
      env: { SF_CLIENT_ID: 'abcdefghijklmnop', SF_USERNAME: 'ci@acme.com', SF_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----', SF_TOKEN_URL: 'https://test.salesforce.com/services/oauth2/token' },
    });
    expect(config.configPath).toBeNull();
    expect(config.values.privateKey).toContain('-----BEGIN PRIVATE KEY-----\n');
    expect(config.values.audience).toBe('https://test.salesforce.com');
    expect(config.sources).toMatchObject({ clientId: 'env', username: 'env', privateKey: 'env', tokenUrl: 'env', audience: 'default', instanceUrl: 'default' });
    expect(config.values.certificatePath).toBeUndefined();
  });

  it('from the environment only, a missing field is fixed by naming its variable, not by JSON', async () => {
    const dir = await tempDir();
    const missing = async (env: Record<string, string>) => {
      try {
        await loadConfig({ cwd: dir, env });
      } catch (error) {
        return error as UserError;
      }
      throw new Error('loadConfig accepted it');
    };
    expect((await missing({ SF_CLIENT_ID: 'abcdefghijklmnop', SF_PRIVATE_KEY: 'x' })).fix).toBe('set SF_USERNAME, e.g. SF_USERNAME=you@example.com');
    expect((await missing({ SF_USERNAME: 'ci@acme.com', SF_PRIVATE_KEY: 'x' })).fix).toBe('set SF_CLIENT_ID, e.g. SF_CLIENT_ID=<Consumer Key of your app>');
    expect((await missing({ SF_CLIENT_ID: 'abcdefghijklmnop', SF_USERNAME: 'ci@acme.com' })).fix).toBe("set SF_PRIVATE_KEY to the key's PEM text, or SF_PRIVATE_KEY_PATH to its file");
  });

  it('mixed: env overrides the file field by field', async () => {
    const dir = await project(GOOD);
    const config = await loadConfig({ cwd: dir, env: { SF_USERNAME: 'other@acme.com', SF_API_VERSION: 'v62.0' } });
    expect(config.values.username).toBe('other@acme.com');
    expect(config.values.clientId).toBe(GOOD.clientId);
    expect(config.sources).toMatchObject({ username: 'env', apiVersion: 'env', clientId: 'file' });
  });

  it('a My Domain token URL gives its own origin as audience; ~ paths expand', async () => {
    const dir = await project({ ...GOOD, tokenUrl: 'https://acme.my.salesforce.com/services/oauth2/token', privateKeyPath: '~/keys/sf.key' });
    const config = await loadConfig({ cwd: dir, env: {} });
    expect(config.values.audience).toBe('https://acme.my.salesforce.com');
    expect(config.values.privateKeyPath).toBe(path.join(os.homedir(), 'keys/sf.key'));
  });

  it('multi-org: --org, then SF_ORG, then defaultOrg', async () => {
    const dir = await project({ defaultOrg: 'prod', orgs: { prod: GOOD, uat: { ...GOOD, username: 'me@acme.com.uat', tokenUrl: 'https://test.salesforce.com/services/oauth2/token' } } });
    expect((await loadConfig({ cwd: dir, env: {} })).org).toBe('prod');
    expect((await loadConfig({ cwd: dir, env: { SF_ORG: 'uat' } })).values.username).toBe('me@acme.com.uat');
    expect((await loadConfig({ cwd: dir, env: { SF_ORG: 'uat' }, org: 'prod' })).org).toBe('prod');
    const unknown = await loadError(dir, {}, { org: 'qa' });
    expect(unknown.message).toMatch(/no such org.*prod, uat/);
  });

  it('trims a consumer key with a trailing newline and says so', async () => {
    const dir = await project(GOOD);
    const config = await loadConfig({ cwd: dir, env: { SF_CLIENT_ID: `${GOOD.clientId}\n` } });
    expect(config.values.clientId).toBe(GOOD.clientId);
    expect(config.warnings.join(' ')).toMatch(/SF_CLIENT_ID had surrounding whitespace.*trimmed/);
  });

  it('trims every setting from a CI secret saved with CRLF (audience, paths, version, URLs, SF_ORG) and names each', async () => {
    const dir = await project({ defaultOrg: 'prod', orgs: { prod: GOOD, uat: { ...GOOD, username: 'me@acme.com.uat', tokenUrl: 'https://test.salesforce.com/services/oauth2/token' } } });
    const env = {
      SF_ORG: 'uat \r\n',
      SF_AUDIENCE: 'https://test.salesforce.com\r\n',
      SF_PRIVATE_KEY_PATH: `${path.join(dir, 'ci.key')}\r\n`,
      SF_API_VERSION: ' v60.0\r\n',
      SF_INSTANCE_URL: 'https://acme--uat.sandbox.my.salesforce.com\n',
    };
    const config = await loadConfig({ cwd: dir, env });
    expect(config.org).toBe('uat');
    expect(config.values).toMatchObject({ audience: 'https://test.salesforce.com', privateKeyPath: path.join(dir, 'ci.key'), apiVersion: 'v60.0', instanceUrl: 'https://acme--uat.sandbox.my.salesforce.com' });
    for (const name of ['SF_AUDIENCE', 'SF_PRIVATE_KEY_PATH', 'SF_API_VERSION', 'SF_INSTANCE_URL']) {
      expect(config.warnings.join('\n')).toMatch(new RegExp(`${name} had surrounding whitespace or a line break`));
    }
  });
});

/** [name, file content (or undefined for none), env, expected code, message pattern, fix pattern] */
const BAD: [string, unknown, NodeJS.ProcessEnv, string, RegExp, RegExp?][] = [
  ['no file, no env', undefined, {}, 'config_missing', /no \.sfconnect\.json/, /sf-setup/],
  ['empty file', '', {}, 'config_invalid', /is empty/, /sf-setup config/],
  ['whitespace file', '  \n', {}, 'config_invalid', /is empty/],
  ['truncated', '{\n  "clientId": "abc', {}, 'config_invalid', /line 2, column 15: a string is not closed/],
  ['truncated object', '{\n  "clientId": "abc"', {}, 'config_invalid', /ends too early/],
  ['comment', '{\n  // my org\n  "clientId": "x"\n}', {}, 'config_invalid', /line 2, column 3: JSON does not allow comments/],
  ['block comment', '{ /* x */ }', {}, 'config_invalid', /comments/],
  ['trailing comma', '{\n  "a": 1,\n}', {}, 'config_invalid', /line 2, column 9: trailing comma/, /remove the comma/],
  ['single quotes', "{ 'clientId': 'x' }", {}, 'config_invalid', /quoted/],
  ['unquoted key', '{ clientId: "x" }', {}, 'config_invalid', /quoted/],
  ['garbage after', '{}\n}', {}, 'config_invalid', /after the end/],
  ['top level list', '[1,2]', {}, 'config_invalid', /must be a JSON object/],
  ['wrong type apiVersion', { ...GOOD, apiVersion: 59 }, {}, 'config_invalid', /apiVersion: must be a string.*number 59/],
  ['misspelt clientID', { ...GOOD, clientId: undefined, clientID: 'x' }, {}, 'config_invalid', /"clientID".*did you mean "clientId"/, /rename/],
  ['misspelt privateKeypath', { ...GOOD, privateKeyPath: undefined, privateKeypath: './k' }, {}, 'config_invalid', /did you mean "privateKeyPath"/],
  ['alias user', { ...GOOD, username: undefined, user: 'a@b.com' }, {}, 'config_invalid', /did you mean "username"/],
  ['missing clientId', { ...GOOD, clientId: undefined }, {}, 'config_invalid', /clientId: is missing/],
  ['missing username', { ...GOOD, username: undefined }, {}, 'config_invalid', /username: is missing/],
  ['missing key path', { ...GOOD, privateKeyPath: undefined }, {}, 'config_invalid', /privateKeyPath: is missing/, /SF_PRIVATE_KEY/],
  ['http token URL', { ...GOOD, tokenUrl: 'http://login.salesforce.com/services/oauth2/token' }, {}, 'config_invalid', /must use https/, /https:\/\/login/],
  ['token URL without path', { ...GOOD, tokenUrl: 'https://login.salesforce.com' }, {}, 'config_invalid', /must be \/services\/oauth2\/token/, /https:\/\/login\.salesforce\.com\/services\/oauth2\/token/],
  ['token URL with other path', { ...GOOD, tokenUrl: 'https://login.salesforce.com/services/oauth2/authorize' }, {}, 'config_invalid', /must be/],
  ['token URL ending in the path only by its look', { ...GOOD, tokenUrl: 'https://login.salesforce.com/xservices/oauth2/token' }, {}, 'config_invalid', /must be \/services\/oauth2\/token/],
  ['a path before the token path on a host that is not a site', { ...GOOD, tokenUrl: 'https://login.salesforce.com/foo/services/oauth2/token' }, {}, 'config_invalid', /only for Experience Cloud sites/],
  ['lightning token host', { ...GOOD, tokenUrl: 'https://acme.lightning.force.com/services/oauth2/token' }, {}, 'config_invalid', /Lightning UI host/, /acme\.my\.salesforce\.com/],
  ['lightning instance', { ...GOOD, instanceUrl: 'https://acme.lightning.force.com' }, {}, 'config_invalid', /Lightning/],
  ['untrusted host', { ...GOOD, tokenUrl: 'https://evil.example.com/services/oauth2/token' }, {}, 'token_url_untrusted', /not a Salesforce domain/, /--allow-untrusted-host/],
  ['instance with path', { ...GOOD, instanceUrl: 'https://acme.my.salesforce.com/lightning/page' }, {}, 'config_invalid', /without a path/, /https:\/\/acme\.my\.salesforce\.com$/],
  ['not a URL', { ...GOOD, instanceUrl: 'acme' }, {}, 'config_invalid', /not a URL/],
  ['apiVersion 59', { ...GOOD, apiVersion: '59' }, {}, 'config_invalid', /not an API version/, /v59\.0/],
  ['apiVersion v59', { ...GOOD, apiVersion: 'v59' }, {}, 'config_invalid', /not an API version/, /v59\.0/],
  ['authType', { ...GOOD, authType: 'password' }, {}, 'config_invalid', /must be "jwt"/],
  ['algorithm', { ...GOOD, algorithm: 'HS256' }, {}, 'config_invalid', /must be "RS256"/],
  ['username with spaces', { ...GOOD, username: 'me @acme.com' }, {}, 'config_invalid', /contains spaces/],
  ['username not email', { ...GOOD, username: 'me' }, {}, 'config_invalid', /does not look like a Salesforce username/],
  ['clientId inner space', { ...GOOD, clientId: '3MVG9 abc def' }, {}, 'config_invalid', /contains spaces/, /Consumer Key/],
  ['empty env var', GOOD, { SF_CLIENT_ID: '' }, 'config_invalid', /SF_CLIENT_ID is set but empty/, /unset SF_CLIENT_ID/],
  ['key inline in file', { ...GOOD, privateKey: '-----BEGIN' }, {}, 'config_invalid', /must not be stored in the config file/],
  ['both key env vars', GOOD, { SF_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nA\n-----END PRIVATE KEY-----', SF_PRIVATE_KEY_PATH: './k' }, 'config_invalid', /both SF_PRIVATE_KEY and SF_PRIVATE_KEY_PATH/],
  ['egressIps not IPs', { ...GOOD, egressIps: ['office'] }, {}, 'config_invalid', /not an IP address/],
  ['several orgs, none chosen', { orgs: { a: GOOD, b: GOOD } }, {}, 'config_invalid', /2 orgs \(a, b\) and none is chosen/, /--org a/],
  ['orgs not an object', { orgs: [GOOD] }, {}, 'config_invalid', /"orgs" must be an object/],
  ['env token URL untrusted', GOOD, { SF_TOKEN_URL: 'https://attacker.test/services/oauth2/token' }, 'token_url_untrusted', /not a Salesforce domain/],
];

describe('loadConfig: every bad input gives its code, a clear message and a fix', () => {
  it.each(BAD)('%s', async (_name, content, env, code, message, fix) => {
    const dir = content === undefined ? await tempDir() : await project(content);
    const error = await loadError(dir, env);
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/\n/);
    expect(error.fix).toBeTruthy();
    if (fix) expect(error.fix).toMatch(fix);
  });

  it('a BOM is stripped silently', async () => {
    const dir = await project(`\uFEFF${JSON.stringify(GOOD)}`);
    expect((await loadConfig({ cwd: dir, env: {} })).values.clientId).toBe(GOOD.clientId);
  });

  it('a trailing slash on instanceUrl is trimmed, an untrusted host allowed with the flag, v999.0 passes syntax', async () => {
    const dir = await project({ ...GOOD, instanceUrl: 'https://acme.my.salesforce.com/', apiVersion: 'v999.0', tokenUrl: 'https://mock.example/services/oauth2/token' });
    const config = await loadConfig({ cwd: dir, env: {}, allowUntrustedHost: true });
    expect(config.values.instanceUrl).toBe('https://acme.my.salesforce.com');
    expect(config.warnings.join(' ')).toMatch(/allowed by --allow-untrusted-host/);
  });

  it('a folder as config and an explicit missing path', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, '.sfconnect.json'));
    expect((await loadError(dir)).message).toMatch(/is a folder/);
    const missing = await loadError(dir, {}, { configPath: 'nope.json' });
    expect(missing.code).toBe('config_missing');
  });

  it('collects every problem, not just the first', () => {
    const problems = validateOrgConfig({ ...GOOD, apiVersion: '59', authType: 'x', username: 'no' }, { where: 'test' });
    expect(problems.filter((p) => p.severity === 'error').map((p) => p.field)).toEqual(['apiVersion', 'authType', 'username']);
  });
});

describe('hosts, masks and helpers', () => {
  it.each([
    ['https://login.salesforce.com/services/oauth2/token', 'production', 'https://login.salesforce.com'],
    ['https://test.salesforce.com/services/oauth2/token', 'sandbox', 'https://test.salesforce.com'],
    ['https://acme.my.salesforce.com/services/oauth2/token', 'mydomain', 'https://acme.my.salesforce.com'],
    ['https://acme--uat.sandbox.my.salesforce.com/services/oauth2/token', 'mydomain', 'https://acme--uat.sandbox.my.salesforce.com'],
    ['https://acme.my.site.com/services/oauth2/token', 'site', 'https://acme.my.site.com'],
    ['https://acme.my.site.com/partners/services/oauth2/token', 'site', 'https://acme.my.site.com/partners'],
    ['https://acme.my.salesforce.mil/services/oauth2/token', 'mydomain', 'https://acme.my.salesforce.mil'],
    ['http://127.0.0.1:4567/services/oauth2/token', 'loopback', 'http://127.0.0.1:4567'],
    ['https://acme.lightning.force.com/services/oauth2/token', 'lightning', 'https://acme.lightning.force.com'],
    ['https://salesforce.com.evil.example/services/oauth2/token', 'untrusted', 'https://salesforce.com.evil.example'],
  ])('%s is %s, audience %s', (url, kind, audience) => {
    expect(classifyTokenHost(url)).toBe(kind);
    expect(deriveAudience(url)).toBe(audience);
  });

  it('masks identities and guesses misspellings', () => {
    expect(maskUsername('jane.doe@acme.com.uat')).toBe('j***@a***.com.uat');
    expect(maskClientId('3MVG9abcdefghijklmnopqrstuvwxyz1234')).toBe('3MVG9a…1234');
    expect(didYouMean('tokenURL')).toBe('tokenUrl');
    expect(didYouMean('instanceURl')).toBe('instanceUrl');
    expect(didYouMean('weather')).toBeUndefined();
  });
});

describe('writeConfig, ensureGitignore, setDefaultOrg', () => {
  it('a file holding a private key ("privateKey") is not rewritten with the key in it: exit 2, the file unchanged (security review)', async () => {
    const dir = await tempDir();
    const file = path.join(dir, '.sfconnect.json');
    const text = JSON.stringify({ username: 'a@b.com', privateKey: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----' }, null, 2);
    await writeFile(file, text);
    const multi = path.join(dir, 'multi.json');
    const multiText = JSON.stringify({ defaultOrg: 'prod', orgs: { prod: { username: 'a@b.com', privateKey: 'x' } } });
    await writeFile(multi, multiText);
    // Another org than the one holding the key, and a new org added to a single-org file with one (diff review).
    for (const [target, original, org] of [[file, text, undefined], [multi, multiText, undefined], [multi, multiText, 'uat'], [file, text, 'uat']] as const) {
      const error = await writeConfig(target, { values: { username: 'new@b.com', privateKeyPath: './certs/server.key' }, org }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).exitCode).toBe(2);
      expect((error as UserError).message).toMatch(/holds a private key \("privateKey"\)/);
      expect((error as UserError).fix).toMatch(/certs\/server\.key.*delete the "privateKey" field/);
      expect(await readFile(target, 'utf8')).toBe(original);
    }
    // `use` (setDefaultOrg) does not rewrite it either.
    expect(await setDefaultOrg(multi, 'prod').catch((e: unknown) => e)).toBeInstanceOf(UserError);
    expect(await readFile(multi, 'utf8')).toBe(multiText);
  });

  it('creates a file in the seed order, updates keeping unknown fields, leaves no temporary file', async () => {
    const dir = await tempDir();
    const file = path.join(dir, '.sfconnect.json');
    const created = await writeConfig(file, { values: { username: 'a@b.com', clientId: 'abcdefghijkl', tokenUrl: GOOD.tokenUrl, instanceUrl: GOOD.instanceUrl } });
    expect(created.created).toBe(true);
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')))).toEqual(['instanceUrl', 'tokenUrl', 'clientId', 'username']);
    await writeFile(file, JSON.stringify({ ...JSON.parse(await readFile(file, 'utf8')), team: 'data' }, null, 2));
    const updated = await writeConfig(file, { values: { username: 'c@d.com' } });
    expect(updated.changed).toEqual(['username']);
    const data = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(data).toMatchObject({ team: 'data', username: 'c@d.com', clientId: 'abcdefghijkl' });
    expect((await writeConfig(file, { values: { username: 'c@d.com' } })).changed).toEqual([]);
    expect((await readdir(dir)).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('writing a named org into a single-org file converts it, keeping the old one as "default"', async () => {
    const dir = await project(GOOD);
    const file = path.join(dir, '.sfconnect.json');
    await writeConfig(file, { org: 'uat', values: { ...GOOD, username: 'me@acme.com.uat' } as never });
    const raw = await readConfigFile(file);
    expect(raw.multiOrg).toBe(true);
    expect(raw.orgNames).toEqual(['default', 'uat']);
    expect(raw.defaultOrg).toBe('default');
    await setDefaultOrg(file, 'uat');
    expect((await readConfigFile(file)).defaultOrg).toBe('uat');
    await expect(setDefaultOrg(file, 'qa')).rejects.toThrow(/no org named "qa"/);
  });

  it('ensureGitignore is idempotent and recognises covering patterns', async () => {
    const dir = await tempDir();
    expect((await ensureGitignore(dir, ['certs/server.key', '.sfconnect.json'])).added).toEqual(['certs/server.key', '.sfconnect.json']);
    expect((await ensureGitignore(dir, ['certs/server.key', '.sfconnect.json'])).added).toEqual([]);
    const other = await tempDir();
    await writeFile(path.join(other, '.gitignore'), 'node_modules\n/certs/\n*.json');
    expect((await ensureGitignore(other, ['certs/server.key', '.sfconnect.json', 'keys/a.key'])).added).toEqual(['keys/a.key']);
    expect(await readFile(path.join(other, '.gitignore'), 'utf8')).toBe('node_modules\n/certs/\n*.json\n# sf-setup: private keys and local Salesforce config\nkeys/a.key\n');
  });

  it('keyIgnoreEntries: the key, the keys beside it and their backups, rooted at its folder; a line already added covers later ones', async () => {
    expect(keyIgnoreEntries('certs/server.key')).toEqual(['certs/*.key', 'certs/*.key.*.bak', 'certs/server.key']);
    // A wildcard only for extensions that name keys alone: *.pem would hide certificates, *.txt anything.
    expect(keyIgnoreEntries('./server.pem')).toEqual(['server.pem', 'server.pem.*.bak', '/*.key']);
    expect(keyIgnoreEntries('jwt-key.txt')).toEqual(['jwt-key.txt', 'jwt-key.txt.*.bak', '/*.key']);
    expect(keyIgnoreEntries('keys/deploy')).toEqual(['keys/deploy', 'keys/deploy.*.bak', 'keys/*.key']);
    expect(keyIgnoreEntries('server.key')).toEqual(['/*.key', '/*.key.*.bak', 'server.key']);
    // A key in the top folder: its rooted lines are found again on the next run, not added twice.
    const top = await tempDir();
    expect((await ensureGitignore(top, keyIgnoreEntries('server.key'))).added).toEqual(['/*.key', '/*.key.*.bak']);
    expect((await ensureGitignore(top, keyIgnoreEntries('server.key'))).added).toEqual([]);
    expect((await ensureGitignore(top, ['requirements.txt'])).added).toEqual(['requirements.txt']);
    const dir = await tempDir();
    // certs/server.key is covered by certs/*.key, added just before it.
    expect((await ensureGitignore(dir, keyIgnoreEntries('certs/server.key'))).added).toEqual(['certs/*.key', 'certs/*.key.*.bak']);
    expect((await ensureGitignore(dir, ['certs/server-20261202.key', 'certs/server.key.20261202T100713Z.bak'])).added).toEqual([]);
  });
});

describe('parser fuzzing', () => {
  it('parseJsonStrict agrees with JSON.parse on valid JSON and throws only located errors otherwise', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string(), fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1)))), (text) => {
        let expected: unknown;
        let valid = true;
        try {
          expected = JSON.parse(text);
        } catch {
          valid = false;
        }
        if (valid) {
          expect(parseJsonStrict(text)).toEqual(expected);
        } else {
          try {
            parseJsonStrict(text);
            throw new Error(`accepted invalid JSON: ${JSON.stringify(text)}`);
          } catch (error) {
            expect((error as { jsonError?: { line: number } }).jsonError?.line).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('validateOrgConfig never throws on arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything(), fc.dictionary(fc.constantFrom('tokenUrl', 'instanceUrl', 'apiVersion', 'clientId', 'username', 'egressIps', 'audience'), fc.anything()), (any, dict) => {
        expect(Array.isArray(validateOrgConfig(any, { where: 'x' }))).toBe(true);
        expect(Array.isArray(validateOrgConfig({ ...GOOD, ...dict }, { where: 'x' }))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('Windows paths on a system with / (CI review)', () => {
  it('a key path written with \\ is refused with the same path written with /', async () => {
    const { windowsPath } = await import('../src/config/validate.js');
    expect(windowsPath('certs\\server.key', 'linux')).toEqual({ message: '"certs\\server.key" is written with \\ (a Windows path); here folders are separated by /', fix: 'write it with /: certs/server.key' });
    expect(windowsPath('C:\\certs\\server.key', 'darwin')!.fix).toBe('write it with /: certs/server.key');
    expect(windowsPath('certs\\server.key', 'win32')).toBeUndefined();
    expect(windowsPath('certs/server.key', 'linux')).toBeUndefined();
    if (process.platform !== 'win32') {
      const dir = await project({ ...GOOD, privateKeyPath: 'certs\\server.key' });
      const error = await loadError(dir);
      expect(error.message).toMatch(/privateKeyPath: "certs\\server\.key" is written with \\/);
      expect(error.fix).toBe('write it with /: certs/server.key');
    }
  });
});
