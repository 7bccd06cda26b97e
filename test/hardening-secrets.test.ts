/**
 * Secret scan (issue 6): every command, in every scenario (success and each failure, text and JSON, the
 * report), with the key from a file, an encrypted file plus its passphrase, or SF_PRIVATE_KEY inline. A
 * wiretap between sf-setup and the emulated org records the real assertions sent and access tokens issued;
 * stdout, stderr and every file written are then scanned for the private key's body, the assertions (and
 * their signatures), the access tokens and the passphrase: zero hits. Also: key files 0600, folders 0700,
 * the report 0600, and nothing written outside the working folder except what the user named.
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatedOrg, type ScenarioName } from '../src/emulator/index.js';
import type { GeneratedKeyPair } from '../src/keys/index.js';
import { hasStackTrace, tempDir } from './helpers/cli.js';
import { listFiles, runBinary } from './helpers/hardening.js';
import { sharedKeyPair } from './helpers/org.js';
import { localServer } from './helpers/servers.js';

const PASSPHRASE = 'correct-horse-battery-staple-42';

/** Everything secret seen on the wire, collected by the wiretaps. */
const seen = { assertions: new Set<string>(), tokens: new Set<string>(), pieces: new Set<string>() };
const closers: (() => Promise<void>)[] = [];
let pair: GeneratedKeyPair;
let encryptedKey: string;
let outside: { home: string; tmp: string };

beforeAll(async () => {
  pair = await sharedKeyPair();
  encryptedKey = createPrivateKey(pair.privateKeyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }) as string;
  outside = { home: await tempDir('sf-setup-home-'), tmp: await tempDir('sf-setup-tmpdir-') };
});
afterAll(async () => {
  while (closers.length) await closers.pop()!();
});

/**
 * What a broken host sends back in its error message: `token`, the token request's form body (the assertion)
 * in a JSON error_description; `api`, the API request's Authorization header (the access token) in a REST
 * error message; `signature`, the assertion's signature alone, part of it, and payload.signature (the header
 * and payload are predictable: the signature rebuilds the assertion); `scope`, the token's secret part (after
 * '!') in the token answer's scope field. (Security review.)
 */
type Echo = 'token' | 'api' | 'signature' | 'scope';

/** A transparent proxy in front of the org that records assertions posted and tokens answered; with `echo`, a host that echoes the request. */
async function wiretap(target: string, echo?: Echo): Promise<string> {
  const server = await localServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const assertion = new URLSearchParams(body.toString()).get('assertion');
      if (assertion) seen.assertions.add(assertion);
      const json = { 'content-type': 'application/json' };
      if (echo === 'token' && assertion) {
        res.writeHead(400, json).end(JSON.stringify({ error: 'invalid_grant', error_description: `bad request: ${body.toString()}` }));
        return;
      }
      if (echo === 'signature' && assertion) {
        const [, payload, signature] = assertion.split('.');
        seen.pieces.add(signature.slice(10, 60));
        res.writeHead(400, json).end(JSON.stringify({ error: 'invalid_grant', error_description: `bad signature ${signature}; near ${signature.slice(10, 60)}; got ${payload}.${signature}` }));
        return;
      }
      if (echo === 'api' && req.headers.authorization) {
        res.writeHead(500, json).end(JSON.stringify([{ errorCode: 'UNKNOWN_EXCEPTION', message: `cannot serve ${req.headers.authorization} (${req.url})` }]));
        return;
      }
      const upstream = http.request(`${target}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (answer) => {
        const out: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => out.push(chunk));
        answer.on('end', () => {
          let text = Buffer.concat(out);
          try {
            const answered = JSON.parse(text.toString()) as { access_token?: unknown; instance_url?: unknown };
            if (typeof answered.access_token === 'string') seen.tokens.add(answered.access_token);
            if (echo === 'scope' && typeof answered.access_token === 'string') {
              text = Buffer.from(JSON.stringify({ ...answered, scope: `api ${answered.access_token.split('!')[1]} refresh_token` }));
              delete answer.headers['content-length'];
            }
            // Echoing the API calls: they come here too.
            if (echo === 'api' && typeof answered.instance_url === 'string') {
              text = Buffer.from(JSON.stringify({ ...answered, instance_url: tapUrl }));
              delete answer.headers['content-length'];
            }
          } catch {
            // not JSON (maintenance page)
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(text);
        });
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  const tapUrl = server.url;
  closers.push(server.close);
  return tapUrl;
}

type KeySource = 'file' | 'encrypted' | 'inline';

async function scenarioProject(scenario: ScenarioName, keySource: KeySource, echo?: Echo): Promise<{ dir: string; env: Record<string, string>; org: EmulatedOrg }> {
  const org = await startEmulator({ scenario, certificates: [pair.certificatePem] });
  closers.push(() => org.close());
  const tap = await wiretap(org.url, echo);
  const dir = await tempDir('sf-setup-secrets-');
  await mkdir(path.join(dir, 'certs'), { mode: 0o700 });
  await writeFile(path.join(dir, 'certs', 'server.key'), keySource === 'encrypted' ? encryptedKey : pair.privateKeyPem, { mode: 0o600 });
  await writeFile(path.join(dir, 'certs', 'server.crt'), pair.certificatePem);
  await writeFile(path.join(dir, '.gitignore'), 'certs/server.key\n.sfconnect.json\n');
  const config: Record<string, unknown> = {
    instanceUrl: org.url,
    apiVersion: 'v59.0',
    authType: 'jwt',
    tokenUrl: `${tap}/services/oauth2/token`,
    clientId: org.clientId,
    username: org.username,
    privateKeyPath: './certs/server.key',
    algorithm: 'RS256',
    audience: org.audience,
  };
  await writeFile(path.join(dir, '.sfconnect.json'), JSON.stringify(config, null, 2));
  const env: Record<string, string> = { HOME: outside.home, TMPDIR: outside.tmp };
  if (keySource === 'encrypted') env.SF_PRIVATE_KEY_PASSPHRASE = PASSPHRASE;
  if (keySource === 'inline') env.SF_PRIVATE_KEY = pair.privateKeyPem.replace(/\n/g, '\\n');
  return { dir, env, org };
}

/** The needles: key body lines, assertions and their signatures, access tokens and the part after '!', the passphrase. */
function needles(extraKeys: string[] = []): string[] {
  const out = new Set<string>([PASSPHRASE]);
  for (const pem of [pair.privateKeyPem, encryptedKey, ...extraKeys]) {
    for (const line of pem.split('\n')) if (/^[A-Za-z0-9+/=]{40,}$/.test(line)) out.add(line);
  }
  for (const assertion of seen.assertions) {
    out.add(assertion);
    out.add(assertion.split('.')[2]);
  }
  for (const piece of seen.pieces) out.add(piece);
  for (const token of seen.tokens) {
    out.add(token);
    const secretPart = token.split('!')[1];
    if (secretPart && secretPart.length >= 16) out.add(secretPart);
  }
  return [...out];
}

/** Texts to scan: the outputs, and every file in the folder except the key files themselves. */
async function writtenTexts(dir: string): Promise<[string, string][]> {
  const texts: [string, string][] = [];
  for (const file of await listFiles(dir)) {
    if (/(^|\/)[^/]*\.key(\.[^/]*\.bak)?$/.test(file)) continue;
    texts.push([file, await readFile(path.join(dir, file), 'utf8')]);
  }
  return texts;
}

/**
 * What was written to TMPDIR, except Node's own compile cache (Node 22.1+: sf-setup's compiled code, no data;
 * SECURITY.md says so).
 */
async function outsideTmp(): Promise<string[]> {
  return (await listFiles(outside.tmp)).filter((file) => !file.startsWith('node-compile-cache/'));
}

function expectClean(texts: [string, string][], extraKeys: string[] = []): void {
  const all = needles(extraKeys);
  for (const [where, text] of texts) {
    for (const needle of all) {
      expect(text.includes(needle), `${where} contains a secret (${needle.slice(0, 12)}…)`).toBe(false);
    }
  }
}

const SCENARIOS: ScenarioName[] = ['ok', 'user_not_approved', 'key_mismatch', 'invalid_client_id', 'ip_restricted', 'login_hours', 'user_inactive', 'org_inactive', 'not_assigned', 'scope_missing', 'rate_limited', 'maintenance', 'clock_ahead'];
const RUNS: [ScenarioName, KeySource, Echo?][] = [
  ...SCENARIOS.map((s) => [s, 'file'] as [ScenarioName, KeySource]),
  ['ok', 'encrypted'],
  ['ok', 'inline'],
  ['user_not_approved', 'inline'],
  ['key_mismatch', 'encrypted'],
  ['ok', 'file', 'token'],
  ['ok', 'inline', 'api'],
  ['ok', 'file', 'signature'],
  ['ok', 'file', 'scope'],
];

describe('secret scan: every command, every scenario', () => {
  const named = RUNS.map(([scenario, keySource, echo]) => [`${scenario}, key from ${keySource}${echo ? `, a host echoing the ${echo} request` : ''}`, scenario, keySource, echo] as const);
  it.concurrent.each(named)('%s: no key, assertion, token or passphrase in any output or file', async (_, scenario, keySource, echo) => {
    const p = await scenarioProject(scenario, keySource, echo);
    const before = seen.assertions.size;
    const commands: string[][] = [
      ['test'],
      ['test', '--json'],
      ['doctor', '-v', '--report', 'support.md'],
      ['doctor', '--json'],
      ['explain', '-'],
    ];
    const texts: [string, string][] = [];
    for (const args of commands) {
      // explain gets what a user would paste: the last token answer seen, whole.
      const input = args[0] === 'explain' ? JSON.stringify({ access_token: [...seen.tokens].at(-1) ?? 'none', error: 'invalid_grant', error_description: 'ip restricted', assertion: [...seen.assertions].at(-1) }) : undefined;
      const result = await runBinary(args, { cwd: p.dir, env: p.env, input, timeoutMs: 15_000 });
      expect(hasStackTrace(result.stderr), result.stderr).toBe(false);
      texts.push([`${args.join(' ')} stdout`, result.stdout], [`${args.join(' ')} stderr`, result.stderr]);
    }
    // The harness must actually have seen what it looks for.
    expect(seen.assertions.size).toBeGreaterThan(before);
    if (scenario === 'ok') expect(seen.tokens.size).toBeGreaterThan(0);
    // The echoing host was reached, and its message shown (with the secret hidden in it).
    if (echo === 'token') expect(texts.map(([, text]) => text).join('\n')).toMatch(/bad request: grant_type=.*assertion=\[redacted\]/);
    if (echo === 'signature') expect(texts.map(([, text]) => text).join('\n')).toMatch(/bad signature \[redacted\]; near \[redacted\]/);
    if (echo === 'scope') expect(texts.map(([, text]) => text).join('\n')).toMatch(/"scopes": \[\s*"api",\s*"\[redacted\]"/);
    if (echo === 'api') expect(texts.map(([, text]) => text).join('\n')).toMatch(/UNKNOWN_EXCEPTION: cannot serve Bearer \[redacted\]/);
    texts.push(...(await writtenTexts(p.dir)));
    expect((await stat(path.join(p.dir, 'support.md'))).mode & 0o777).toBe(0o600);
    expectClean(texts);
  });

  it('explain: credentials pasted along with the error (a secret, a password, a key) are not printed back, in text or --json', async () => {
    const dir = await tempDir('sf-setup-secrets-');
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const secret = 'E3A1F0C9B2D4E6F8A0C2E4F6A8B0D2E4F6A8C0E2F4A6B8D0F2A4C6E8A0B2C4D6';
    const keyLine = key.split('\n')[3];
    const paste = [
      `2026-12-02 ERROR invalid_client_id: client identifier invalid (client_secret=${secret} password=hunter2hunter2 key ${keyLine})`,
      'the key we used:',
      key,
    ].join('\n');
    for (const args of [['explain', '-'], ['explain', '--json', '-']]) {
      const result = await runBinary(args, { cwd: dir, input: paste });
      expect(result.stdout).toMatch(/invalid_client_id/);
      expectClean([[`${args.join(' ')} stdout`, result.stdout], [`${args.join(' ')} stderr`, result.stderr]], [key]);
      for (const needle of [secret, 'hunter2hunter2']) expect(result.stdout + result.stderr).not.toContain(needle);
    }
  });

  it('keygen, config, rotate and use: key files 0600, folders 0700, nothing written outside the folder but what was named', async () => {
    const dir = await tempDir('sf-setup-secrets-');
    const named = await tempDir('sf-setup-named-');
    const env = { HOME: outside.home, TMPDIR: outside.tmp };
    const texts: [string, string][] = [];
    const run = async (args: string[]) => {
      const result = await runBinary(args, { cwd: dir, env });
      expect(hasStackTrace(result.stderr), result.stderr).toBe(false);
      texts.push([`${args.join(' ')} stdout`, result.stdout], [`${args.join(' ')} stderr`, result.stderr]);
      return result;
    };
    expect((await run(['keygen', '--json'])).code).toBe(0);
    expect((await run(['keygen', '--force'])).code).toBe(0);
    expect((await run(['keygen', '--dir', path.join(named, 'keys'), '--json'])).code).toBe(0);
    expect((await run(['config', '--client-id', '3MVG9abcdefghijklmnop', '--username', 'me@acme.com', '--json'])).code).toBe(0);
    const rotated = await run(['rotate']);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect((await run(['config', '--org', 'uat', '--client-id', '3MVG9abcdefghijklmnop', '--username', 'me@acme.com.uat', '--sandbox'])).code).toBe(0);
    expect((await run(['use', 'uat'])).code).toBe(0);
    expect((await run(['doctor', '--offline', '--report', path.join(named, 'report.md')])).code).not.toBe(2);

    const keys: string[] = [];
    for (const file of await listFiles(dir)) {
      const full = path.join(dir, file);
      if (/\.key(\..*\.bak)?$/.test(file)) {
        expect((await stat(full)).mode & 0o777, file).toBe(0o600);
        keys.push(await readFile(full, 'utf8'));
      }
    }
    expect((await stat(path.join(dir, 'certs'))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(named, 'keys'))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(named, 'keys', 'server.key'))).mode & 0o777).toBe(0o600);
    keys.push(await readFile(path.join(named, 'keys', 'server.key'), 'utf8'));
    texts.push(...(await writtenTexts(dir)), ...(await writtenTexts(named)));
    expectClean(texts, keys);
    // Nothing in HOME or TMPDIR; in the named folder only what was named.
    expect(await listFiles(outside.home)).toEqual([]);
    expect(await outsideTmp()).toEqual([]);
    expect(await listFiles(named)).toEqual(['keys/server.crt', 'keys/server.key', 'report.md']);
    const rest = (await listFiles(dir)).filter((f) => !f.endsWith('.bak') && !/^certs\/server-\d{8}\.(key|crt)$/.test(f));
    expect(rest).toEqual(['.gitignore', '.sfconnect.json', 'certs/server.crt', 'certs/server.key']);
    expect((await listFiles(dir)).filter((f) => /^certs\/server-\d{8}\.key$/.test(f))).toHaveLength(1);
  });

  it('nothing was written to HOME or TMPDIR by any scenario run', async () => {
    expect(await listFiles(outside.home)).toEqual([]);
    expect(await outsideTmp()).toEqual([]);
  });
});
