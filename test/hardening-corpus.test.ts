/**
 * Bad input corpus (issue 6): every way a config, a key, a certificate, a URL or an environment variable
 * arrives damaged, run through the real binary. A refused input is exit 2 with one line naming the cause
 * and one `fix:` line, no stack trace; an input sf-setup can repair (BOM, CRLF, pasted `\n`, a consumer key
 * with a trailing newline...) works and says what it repaired. Local only: an emulated org on 127.0.0.1.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatedOrg } from '../src/emulator/index.js';
import { createSelfSignedCertificate, DEFAULT_SUBJECT, type GeneratedKeyPair } from '../src/keys/index.js';
import { hasStackTrace, tempDir } from './helpers/cli.js';
import { giveToUser, keyMaterial, runBinary } from './helpers/hardening.js';
import { sharedKeyPair } from './helpers/org.js';

type Files = Record<string, string | Buffer>;

interface Case {
  name: string;
  /** .sfconnect.json: an object merged over the good config (undefined values delete), or raw text. */
  config?: Record<string, unknown> | string;
  /** Extra files (relative path -> content); `certs/server.key` and `certs/server.crt` are the good pair unless given. */
  files?: Files;
  env?: Record<string, string>;
  /** Default ['test']. */
  args?: string[];
  asUser?: boolean;
  prepare?(dir: string): Promise<void>;
  /** Refused: exit 2, the cause and the fix. */
  refused?: { cause: RegExp; fix: RegExp };
  /** The doctor's failing check (run with doctor --offline --json). */
  doctor?: { check: string; code: string; detail: RegExp; fix?: RegExp };
  /** Accepted (exit 0), saying what it repaired or noticed when `note` is given (stderr). */
  accepted?: { note?: RegExp };
  /** The live test fails (exit 1) with this code, naming the fix. */
  failed?: { code: string; fix: RegExp };
}

let org: EmulatedOrg;
let pair: GeneratedKeyPair;
let keys: ReturnType<typeof keyMaterial>;
let home: string;
/** A certificate whose validity starts in five days. */
let futureCertificate: string;

beforeAll(async () => {
  pair = await sharedKeyPair();
  keys = keyMaterial(pair.privateKeyPem);
  const day = 86_400_000;
  futureCertificate = await createSelfSignedCertificate(keys.rsa, { subject: DEFAULT_SUBJECT, notBefore: new Date(Date.now() + 5 * day), notAfter: new Date(Date.now() + 400 * day) });
  org = await startEmulator({ certificates: [pair.certificatePem] });
  home = await tempDir('sf-setup-home-');
  await mkdir(path.join(home, 'keys'), { mode: 0o700 });
  await writeFile(path.join(home, 'keys', 'server.key'), pair.privateKeyPem, { mode: 0o600 });
  await writeFile(path.join(home, 'keys', 'server.crt'), pair.certificatePem);
});
afterAll(async () => {
  await org?.close();
});

const goodConfig = () => ({
  instanceUrl: org.url,
  apiVersion: 'v59.0',
  authType: 'jwt',
  tokenUrl: org.tokenUrl,
  clientId: org.clientId,
  username: org.username,
  privateKeyPath: './certs/server.key',
  algorithm: 'RS256',
});
/** Configuration by environment alone, with the key inline. */
const envOnly = (key: string, extra: Record<string, string> = {}) => ({
  SF_TOKEN_URL: org.tokenUrl,
  SF_INSTANCE_URL: org.url,
  SF_CLIENT_ID: org.clientId,
  SF_USERNAME: org.username,
  SF_PRIVATE_KEY: key,
  ...extra,
});
const lightning = 'https://acme.lightning.force.com/services/oauth2/token';
const key = (content: string | Buffer): Files => ({ 'certs/server.key': content });

const CASES: Case[] = [
  // JSON that is not JSON
  { name: 'empty config file', config: '', refused: { cause: /\.sfconnect\.json is empty/, fix: /sf-setup config/ } },
  { name: 'whitespace-only config file', config: '  \n\t\n', refused: { cause: /is empty/, fix: /sf-setup config/ } },
  { name: 'truncated JSON', config: '{\n  "clientId": "3MVG9abcdefghijk",\n  "username": "me@', refused: { cause: /not valid JSON: line 3, column \d+: a string is not closed/, fix: /closing "/ } },
  { name: 'truncated JSON after a comma', config: '{"clientId": "3MVG9abcdefghijk",', refused: { cause: /ends too early \(truncated\?\)/, fix: /every \{ needs its \}/ } },
  { name: 'a // comment', config: '{\n  // prod org\n  "clientId": "x"\n}', refused: { cause: /line 2, column 3: JSON does not allow comments/, fix: /remove the comment/ } },
  { name: 'a /* */ comment', config: '{ /* note */ "clientId": "x" }', refused: { cause: /JSON does not allow comments/, fix: /remove the comment/ } },
  { name: 'a trailing comma', config: '{\n  "clientId": "x",\n}', refused: { cause: /line 2, column 18: trailing comma before \}/, fix: /remove the comma/ } },
  { name: 'single quotes', config: "{'clientId': 'x'}", refused: { cause: /expected a "quoted" field name/, fix: /double quotes/ } },
  { name: 'a list instead of an object', config: '[]', refused: { cause: /must (be|hold) a JSON object.*found a list/, fix: /README/ } },
  { name: 'null', config: 'null', refused: { cause: /must (be|hold) a JSON object.*found null/, fix: /README/ } },
  { name: 'a bare string', config: '"https://login.salesforce.com"', refused: { cause: /must (be|hold) a JSON object.*found string/, fix: /README/ } },
  { name: 'JSON nested 5,000 deep (once a stack overflow)', config: '['.repeat(5000), refused: { cause: /nests more than 64 levels deep/, fix: /--config/ } },
  { name: 'a NUL byte before the JSON', config: `\u0000${JSON.stringify({ clientId: 'x' })}`, refused: { cause: /line 1, column 1: unexpected invisible character U\+0000/, fix: /double quotes/ } },
  { name: 'two objects', config: '{}{}', refused: { cause: /after the end of the JSON/, fix: /remove what follows/ } },
  // wrong types, unknown and misspelt keys, missing fields
  { name: 'clientId a number', config: { clientId: 12345 }, refused: { cause: /clientId: must be a string like "3MVG9\.\.\.", got number 12345/, fix: /write "clientId"/ } },
  { name: 'username a list', config: { username: ['a@b.com'] }, refused: { cause: /username: must be a string.*got a list/, fix: /write "username"/ } },
  { name: 'egressIps a string', config: { egressIps: '203.0.113.7' }, refused: { cause: /egressIps: must be a list of IP addresses/, fix: /"egressIps": \["203\.0\.113\.7"\]/ } },
  { name: 'authType "oauth"', config: { authType: 'oauth' }, refused: { cause: /authType: must be "jwt"/, fix: /"authType": "jwt"/ } },
  { name: 'algorithm HS256', config: { algorithm: 'HS256' }, refused: { cause: /algorithm: must be "RS256"/, fix: /"algorithm": "RS256"/ } },
  { name: 'misspelt key by case: clientID', config: { clientID: 'x' }, refused: { cause: /unknown field "clientID".*did you mean "clientId"\?/, fix: /rename "clientID" to "clientId"/ } },
  { name: 'misspelt key: usrname', config: { usrname: 'x' }, refused: { cause: /did you mean "username"\?/, fix: /rename "usrname"/ } },
  { name: 'an alias: client_id', config: { client_id: 'x' }, refused: { cause: /did you mean "clientId"\?/, fix: /rename "client_id" to "clientId"/ } },
  { name: 'an unknown key is kept, with a note', config: { notes: 'prod org' }, accepted: { note: /unknown field "notes" is kept but not used/ } },
  { name: 'a private key inside the config', config: { privateKey: '-----BEGIN PRIVATE KEY-----' }, refused: { cause: /a private key must not be stored in the config file/, fix: /SF_PRIVATE_KEY in CI/ } },
  { name: 'fields hidden under "__proto__"', config: `{"__proto__": {"clientId": "3MVG9abcdefghijk"}, "username": "me@acme.com", "tokenUrl": "https://login.salesforce.com/services/oauth2/token", "privateKeyPath": "./certs/server.key"}`, refused: { cause: /clientId: is missing/, fix: /add "clientId"/ } },
  { name: 'an unknown key named "constructor"', config: { constructor: 'x' }, accepted: { note: /unknown field "constructor" is kept but not used/ } },
  { name: 'missing clientId', config: { clientId: undefined }, refused: { cause: /clientId: is missing/, fix: /add "clientId"/ } },
  { name: 'missing username', config: { username: undefined }, refused: { cause: /username: is missing/, fix: /add "username"/ } },
  { name: 'missing privateKeyPath', config: { privateKeyPath: undefined }, refused: { cause: /privateKeyPath: is missing/, fix: /SF_PRIVATE_KEY/ } },
  { name: 'a UTF-8 BOM before the JSON', config: `\uFEFF${JSON.stringify({ placeholder: true })}`, accepted: {} },
  // key paths
  { name: 'a relative key path that does not exist', config: { privateKeyPath: 'keys/missing.key' }, refused: { cause: /keys\/missing\.key does not exist/, fix: /relative paths are relative to the config file/ } },
  { name: 'a ~ key path', config: { privateKeyPath: '~/keys/server.key' }, accepted: {} },
  { name: 'a ~ key path that does not exist', config: { privateKeyPath: '~/nope/server.key' }, refused: { cause: /sf-setup-home-\w+\/nope\/server\.key does not exist/, fix: /sf-setup keygen/ } },
  { name: 'the key path is a folder', config: { privateKeyPath: './certs' }, refused: { cause: /certs is a folder, not a private key file/, fix: /certs\/server\.key/ } },
  { name: 'an unreadable key file', asUser: true, prepare: async (dir) => chmod(path.join(dir, 'certs', 'server.key'), 0o000), refused: { cause: /cannot be read \(permission denied\)/, fix: /chmod 600/ } },
  { name: 'an empty key file', files: key(''), refused: { cause: /server\.key is empty/, fix: /sf-setup keygen --force/ } },
  // what is in the key file
  { name: 'a certificate where the key should be', files: { 'certs/server.key': '@cert' }, refused: { cause: /found a certificate.*not a private key/, fix: /server\.key, not server\.crt/ } },
  { name: 'a public key', files: { 'certs/server.key': '@publicKey' }, refused: { cause: /found a public key, not a private key/, fix: /private key made together with the certificate/ } },
  { name: 'an EC key', files: { 'certs/server.key': '@ec' }, refused: { cause: /found an EC \(prime256v1\) key; .*needs an RSA key/, fix: /sf-setup keygen/ } },
  { name: 'an Ed25519 key', files: { 'certs/server.key': '@ed25519' }, refused: { cause: /found an Ed25519 key/, fix: /sf-setup keygen/ } },
  { name: 'encrypted PKCS#8, no passphrase', files: { 'certs/server.key': '@encryptedPkcs8' }, refused: { cause: /is encrypted \(-----BEGIN ENCRYPTED PRIVATE KEY-----\) and no passphrase was given/, fix: /SF_PRIVATE_KEY_PASSPHRASE/ } },
  { name: 'encrypted PKCS#8, wrong passphrase', files: { 'certs/server.key': '@encryptedPkcs8' }, env: { SF_PRIVATE_KEY_PASSPHRASE: 'open says me' }, refused: { cause: /passphrase for .* is wrong/, fix: /SF_PRIVATE_KEY_PASSPHRASE/ } },
  { name: 'encrypted PKCS#8 with its passphrase', files: { 'certs/server.key': '@encryptedPkcs8' }, env: { SF_PRIVATE_KEY_PASSPHRASE: 'open sesame' }, accepted: {} },
  { name: 'encrypted PKCS#1, no passphrase', files: { 'certs/server.key': '@encryptedPkcs1' }, refused: { cause: /is encrypted \(Proc-Type: 4,ENCRYPTED\)/, fix: /SF_PRIVATE_KEY_PASSPHRASE/ } },
  { name: 'encrypted PKCS#1, wrong passphrase', files: { 'certs/server.key': '@encryptedPkcs1' }, env: { SF_PRIVATE_KEY_PASSPHRASE: 'nope' }, refused: { cause: /passphrase .* is wrong/, fix: /exact text/ } },
  { name: 'encrypted PKCS#1 with its passphrase', files: { 'certs/server.key': '@encryptedPkcs1' }, env: { SF_PRIVATE_KEY_PASSPHRASE: 'open sesame' }, accepted: {} },
  { name: 'a DER key', files: { 'certs/server.key': '@der' }, refused: { cause: /found DER \(binary\) PKCS#8 private key/, fix: /openssl pkey .* -inform DER/ } },
  { name: 'PEM with CRLF line ends', files: { 'certs/server.key': '@crlf' }, accepted: {} },
  { name: 'PEM with leading spaces', files: { 'certs/server.key': '@indented' }, accepted: {} },
  { name: 'PKCS#1 ("BEGIN RSA PRIVATE KEY")', files: { 'certs/server.key': '@pkcs1' }, accepted: {} },
  { name: 'two keys concatenated', files: { 'certs/server.key': '@twoKeys' }, refused: { cause: /holds 2 private keys/, fix: /keep only that key/ } },
  { name: 'a 1024-bit key', files: { 'certs/server.key': '@weak' }, refused: { cause: /found a 1024-bit RSA key; Salesforce needs 2048 bits or more/, fix: /sf-setup keygen --force/ } },
  { name: 'a 1024-bit key (doctor)', files: { 'certs/server.key': '@weak' }, doctor: { check: 'key', code: 'key_weak', detail: /RSA 1024 bits/ } },
  { name: 'a key where the certificate should be (doctor)', files: { 'certs/server.crt': '@pkcs8' }, doctor: { check: 'certificate', code: 'cert_invalid', detail: /private key/i } },
  { name: 'a certificate not yet valid (doctor)', files: { 'certs/server.crt': '@future' }, doctor: { check: 'certificate', code: 'cert_not_yet_valid', detail: /is not valid until 20\d\d-/, fix: /clock/ } },
  // SF_PRIVATE_KEY as CI secrets mangle it
  { name: 'SF_PRIVATE_KEY with literal \\n', env: { '@env': 'escaped' }, accepted: {} },
  { name: 'SF_PRIVATE_KEY as base64 of the PEM', env: { '@env': 'base64' }, accepted: {} },
  { name: 'SF_PRIVATE_KEY with CRLF and indentation', env: { '@env': 'crlfIndented' }, accepted: {} },
  { name: 'SF_PRIVATE_KEY cut off', env: { '@env': 'truncated' }, refused: { cause: /SF_PRIVATE_KEY is cut off: -----BEGIN PRIVATE KEY----- has no -----END/, fix: /END line included/ } },
  { name: 'SF_PRIVATE_KEY and SF_PRIVATE_KEY_PATH both', env: { '@env': 'good', SF_PRIVATE_KEY_PATH: 'certs/server.key' }, refused: { cause: /both SF_PRIVATE_KEY and SF_PRIVATE_KEY_PATH are set/, fix: /keep one/ } },
  // URLs
  { name: 'tokenUrl with http://', config: { tokenUrl: 'http://login.salesforce.com/services/oauth2/token' }, refused: { cause: /tokenUrl: must use https:\/\//, fix: /https:\/\/login\.salesforce\.com\/services\/oauth2\/token/ } },
  { name: 'tokenUrl without the path', config: { tokenUrl: 'https://login.salesforce.com' }, refused: { cause: /tokenUrl: must be \/services\/oauth2\/token on the host/, fix: /use https:\/\/login\.salesforce\.com\/services\/oauth2\/token/ } },
  { name: 'tokenUrl with another path', config: { tokenUrl: 'https://login.salesforce.com/services/oauth2/authorize' }, refused: { cause: /must be \/services\/oauth2\/token on the host .*, got "\/services\/oauth2\/authorize"/, fix: /\/services\/oauth2\/token/ } },
  { name: 'tokenUrl with a trailing slash works', config: { tokenUrl: '@orgTokenSlash' }, accepted: {} },
  { name: 'instanceUrl with a trailing slash works', config: { instanceUrl: '@orgUrlSlash' }, accepted: {} },
  { name: 'instanceUrl with a path', config: { instanceUrl: 'https://acme.my.salesforce.com/lightning/page/home' }, refused: { cause: /instanceUrl: must be just the origin/, fix: /use https:\/\/acme\.my\.salesforce\.com$/m } },
  { name: 'a Lightning host', config: { tokenUrl: lightning, instanceUrl: 'https://acme.my.salesforce.com' }, refused: { cause: /acme\.lightning\.force\.com is the Lightning UI host/, fix: /https:\/\/acme\.my\.salesforce\.com\/services\/oauth2\/token/ } },
  { name: 'a non-Salesforce host', config: { tokenUrl: 'https://login.example.com/services/oauth2/token', instanceUrl: 'https://acme.my.salesforce.com' }, refused: { cause: /login\.example\.com is not a Salesforce domain/, fix: /--allow-untrusted-host/ } },
  { name: 'not a URL', config: { tokenUrl: 'login.salesforce.com' }, refused: { cause: /"login\.salesforce\.com" is not a URL/, fix: /full URL/ } },
  // apiVersion
  { name: 'apiVersion 59 (a number)', config: { apiVersion: 59 }, refused: { cause: /apiVersion: must be a string like "v59\.0", got number 59/, fix: /"apiVersion": "v59\.0"/ } },
  { name: 'apiVersion "59"', config: { apiVersion: '59' }, refused: { cause: /apiVersion: "59" is not an API version/, fix: /did you mean "v59\.0"\?/ } },
  { name: 'apiVersion "v59"', config: { apiVersion: 'v59' }, refused: { cause: /"v59" is not an API version/, fix: /did you mean "v59\.0"\?/ } },
  { name: 'apiVersion "v999.0"', config: { apiVersion: 'v999.0' }, failed: { code: 'api_version_unsupported', fix: /"apiVersion": "v\d+\.0"/ } },
  // environment variables
  { name: 'SF_CLIENT_ID set but empty', env: { SF_CLIENT_ID: '' }, refused: { cause: /SF_CLIENT_ID is set but empty/, fix: /unset SF_CLIENT_ID/ } },
  { name: 'SF_USERNAME set to spaces', env: { SF_USERNAME: '   ' }, refused: { cause: /SF_USERNAME is set but empty/, fix: /unset SF_USERNAME/ } },
  { name: 'SF_ORG naming no org of a single-org file', env: { SF_ORG: 'uat' }, accepted: {} },
  { name: '--org on a single-org file', args: ['test', '--org', 'uat'], refused: { cause: /--org uat: .* holds a single org/, fix: /drop --org/ } },
  { name: 'a username with spaces', config: { username: 'jane doe@acme.com' }, refused: { cause: /username: "jane doe@acme\.com" contains spaces/, fix: /you@example\.com/ } },
  { name: 'a username that is not an email', config: { username: 'jane' }, refused: { cause: /does not look like a Salesforce username/, fix: /you@example\.com/ } },
  { name: 'a consumer key with a trailing newline (file)', config: { clientId: '@clientIdNewline' }, accepted: { note: /clientId had surrounding whitespace or a line break \(a copy-paste classic\); trimmed it/ } },
  { name: 'a consumer key with a trailing newline (SF_CLIENT_ID)', env: { SF_CLIENT_ID: '@clientIdNewline' }, accepted: { note: /SF_CLIENT_ID had surrounding whitespace or a line break.*trimmed it/ } },
  { name: 'a consumer key with a space inside', config: { clientId: '3MVG9abc defghijk' }, refused: { cause: /clientId: contains spaces or line breaks inside/, fix: /copy the Consumer Key again/ } },
  { name: 'the config path is a folder', args: ['test', '--config', 'certs'], refused: { cause: /certs is a folder, not a config file/, fix: /--config/ } },
  { name: 'a --config that does not exist', args: ['test', '--config', 'nope.json'], refused: { cause: /nope\.json does not exist/, fix: /--config path/ } },
];

/** Replace '@name' placeholders with the material made in beforeAll. */
function material(value: string | Buffer): string | Buffer {
  if (typeof value !== 'string' || !value.startsWith('@')) return value;
  const name = value.slice(1);
  const day = 86_400_000;
  switch (name) {
    case 'cert':
      return pair.certificatePem;
    case 'crlf':
      return pair.privateKeyPem.replace(/\n/g, '\r\n');
    case 'indented':
      return pair.privateKeyPem.replace(/^/gm, '    ');
    case 'twoKeys':
      return pair.privateKeyPem + keys.pkcs8.replace(/MII/, 'MII');
    case 'future':
      return futureCertificate;
    case 'orgTokenSlash':
      return `${org.tokenUrl}/`;
    case 'orgUrlSlash':
      return `${org.url}/`;
    case 'clientIdNewline':
      return `${org.clientId}\n`;
    default:
      return (keys as unknown as Record<string, string | Buffer>)[name];
  }
}

function envFor(c: Case): Record<string, string> {
  const env: Record<string, string> = { HOME: home };
  const inline = c.env?.['@env'];
  if (inline) {
    const pem = pair.privateKeyPem;
    const forms: Record<string, string> = {
      good: pem,
      escaped: pem.replace(/\n/g, '\\n'),
      base64: Buffer.from(pem).toString('base64'),
      crlfIndented: pem.replace(/^/gm, '  ').replace(/\n/g, '\r\n'),
      truncated: pem.split('\n').slice(0, 8).join('\n'),
    };
    Object.assign(env, envOnly(forms[inline]));
  }
  for (const [name, value] of Object.entries(c.env ?? {})) if (name !== '@env') env[name] = material(value) as string;
  return env;
}

async function project(c: Case): Promise<string> {
  const dir = await tempDir('sf-setup-corpus-');
  await mkdir(path.join(dir, 'certs'), { mode: 0o700 });
  const files: Files = { 'certs/server.key': pair.privateKeyPem, 'certs/server.crt': pair.certificatePem, ...c.files };
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), material(content), { mode: name.endsWith('.key') ? 0o600 : 0o644 });
  if (!c.env?.['@env']) {
    let text: string;
    if (typeof c.config === 'string') {
      text = c.config.includes('"placeholder"') ? c.config.replace(JSON.stringify({ placeholder: true }), JSON.stringify(goodConfig())) : c.config;
    } else {
      const merged: Record<string, unknown> = goodConfig();
      for (const [field, value] of Object.entries(c.config ?? {})) {
        if (value === undefined) delete merged[field];
        else merged[field] = typeof value === 'string' ? material(value) : value;
      }
      text = JSON.stringify(merged, null, 2);
    }
    await writeFile(path.join(dir, '.sfconnect.json'), text);
  }
  if (c.asUser) await giveToUser(dir);
  await c.prepare?.(dir);
  return dir;
}

describe('keygen --dir where no folder can be made', () => {
  it('a key folder that is a link to nothing: exit 2 with the cause, not a bug report', async () => {
    const dir = await tempDir();
    await symlink('nowhere', path.join(dir, 'certs'));
    const result = await runBinary(['keygen'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^✗ .*certs cannot be created: part of that path is a file \(or a link to nothing\)\n {2}fix: write the key to another folder \(--dir\)\n$/);
  });

  // Node's recursive mkdir spins forever under /proc; keygen must end, exit 2, with the cause.
  it.runIf(existsSync('/proc/self'))('/proc/x: exit 2 with the cause, at once, not a spin', async () => {
    const result = await runBinary(['keygen', '--dir', '/proc/sf-setup-x/certs'], { cwd: await tempDir(), timeoutMs: 20_000 });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('✗ /proc/sf-setup-x cannot be created: /proc does not take new folders (ENOENT)\n  fix: write the key to another folder (--dir)\n');
  });
});

describe('config command input', () => {
  it('--private-key-path pointing at a folder is refused before anything is written', async () => {
    const dir = await project({ name: 'folder' });
    const result = await runBinary(['config', '--private-key-path', 'certs'], { cwd: dir, env: { HOME: home } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^✗ privateKeyPath certs is a folder, not a key file\n {2}fix: .*--private-key-path certs\/server\.key/);
    expect(JSON.parse(await readFile(path.join(dir, '.sfconnect.json'), 'utf8'))).toMatchObject({ privateKeyPath: './certs/server.key' });
  });

  it('--private-key-path ~/...: the key in the home folder is used, and no "~/" line lands in .gitignore', async () => {
    const dir = await project({ name: 'home' });
    const result = await runBinary(['config', '--private-key-path', '~/keys/server.key'], { cwd: dir, env: { HOME: home } });
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(path.join(dir, '.gitignore'), 'utf8').catch(() => '')).not.toMatch(/~/);
    const test = await runBinary(['test'], { cwd: dir, env: { HOME: home } });
    expect(test.code, test.stderr).toBe(0);
  });

  it('--client-id with a trailing newline is trimmed, and says so', async () => {
    const dir = await project({ name: 'trim' });
    const result = await runBinary(['config', '--client-id', `${org.clientId}\n`], { cwd: dir, env: { HOME: home } });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/surrounding whitespace \(a copy-paste classic\); trimmed it/);
    expect(JSON.parse(await readFile(path.join(dir, '.sfconnect.json'), 'utf8'))).toMatchObject({ clientId: org.clientId });
  });
});

describe('bad input corpus', () => {
  it('has at least 40 cases, each with one expectation', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    for (const c of CASES) expect([c.refused, c.doctor, c.accepted, c.failed].filter(Boolean), c.name).toHaveLength(1);
  });

  it.concurrent.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = await project(c);
    const env = envFor(c);
    if (c.doctor) {
      const result = await runBinary(['doctor', '--offline', '--json'], { cwd: dir, env, asUser: c.asUser });
      expect(hasStackTrace(result.stderr), result.stderr).toBe(false);
      const report = JSON.parse(result.stdout) as { checks: { id: string; status: string; code?: string; detail: string; fix?: string[] }[] };
      const check = report.checks.find((entry) => entry.id === c.doctor!.check)!;
      expect(check, result.stdout).toMatchObject({ status: 'fail', code: c.doctor.code });
      expect(check.detail).toMatch(c.doctor.detail);
      if (c.doctor.fix) expect((check as { fix?: string[] }).fix?.[0]).toMatch(c.doctor.fix);
      expect(check.fix?.length).toBeGreaterThan(0);
      expect(result.code).toBe(1);
      return;
    }
    const result = await runBinary(c.args ?? ['test'], { cwd: dir, env, asUser: c.asUser });
    const output = `${result.stdout}${result.stderr}`;
    expect(hasStackTrace(output), output).toBe(false);
    expect(output).not.toMatch(/unexpected error \(a bug\)/);
    if (c.refused) {
      expect(result.code, output).toBe(2);
      expect(result.stdout).toBe('');
      // One line naming the cause, one naming the fix (a warning line may come first).
      const lines = result.stderr.trimEnd().split('\n').filter((line) => !line.startsWith('! '));
      expect(lines, output).toHaveLength(2);
      expect(lines[0]).toMatch(/^✗ /);
      expect(lines[0]).toMatch(c.refused.cause);
      expect(lines[1]).toMatch(/^ {2}fix: /);
      expect(lines[1]).toMatch(c.refused.fix);
    } else if (c.failed) {
      expect(result.code, output).toBe(1);
      expect(result.stderr).toContain(`[${c.failed.code}]`);
      expect(result.stderr).toMatch(c.failed.fix);
    } else {
      expect(result.code, output).toBe(0);
      expect(result.stdout).toMatch(/Authentication successful/);
      if (c.accepted?.note) expect(result.stderr).toMatch(c.accepted.note);
    }
  });
});
