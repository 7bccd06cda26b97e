/**
 * Fuzzing (issue 6) with fast-check, bounded: the config parser and loader, the knowledge-base matcher on
 * server bodies, and the token-answer parser against a local server answering random statuses, headers
 * and bodies. Only our own error type (UserError) may escape, and whatever a server sends must come out
 * printable: no control character, no escape sequence, one line. (keys-property.test.ts fuzzes the key
 * loader; knowledge-base.test.ts fuzzes classifyText.)
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyOAuthError, classifyText } from '../src/diagnostics/classify.js';
import { loadConfig, parseJsonStrict, readConfigFile, validateOrgConfig } from '../src/config/index.js';
import { UserError } from '../src/errors.js';
import { printable } from '../src/output/printable.js';
import { Secret } from '../src/salesforce/secret.js';
import { requestToken } from '../src/salesforce/token.js';
import { tempDir } from './helpers/cli.js';
import { localServer } from './helpers/servers.js';

const RUNS = { numRuns: 200 };
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Run fn; anything thrown must be a UserError whose words are printable. */
async function onlyUserErrors(fn: () => unknown): Promise<UserError | undefined> {
  try {
    await fn();
    return undefined;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    expect(error.message).not.toMatch(CONTROL);
    if (error.fix) expect(error.fix).not.toMatch(CONTROL);
    return error;
  }
}

const CONFIG = {
  instanceUrl: 'https://acme.my.salesforce.com',
  apiVersion: 'v59.0',
  authType: 'jwt',
  tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
  clientId: '3MVG9abcdefghijklmnop',
  username: 'me@acme.com',
  privateKeyPath: './certs/server.key',
  algorithm: 'RS256',
};
const CONFIG_TEXT = JSON.stringify(CONFIG, null, 2);

/** Edits a hand-editor or a broken tool makes to a config file. */
const edit = fc.oneof(
  fc.record({ at: fc.nat(), cut: fc.nat({ max: 40 }), text: fc.constant('') }),
  fc.record({ at: fc.nat(), cut: fc.constant(0), text: fc.constantFrom(',', '}', '{', '[', ']', '"', "'", ':', '//', '/*', '\\', '\uFEFF', '\r\n', '\u0000', 'null', '1e999', '-', '__proto__', '"__proto__": {}', '"orgs": {}', '"defaultOrg": 3') }),
  fc.record({ at: fc.nat(), cut: fc.nat({ max: 3 }), text: fc.string({ maxLength: 8 }) }),
);
const mutatedConfig = fc.array(edit, { minLength: 1, maxLength: 5 }).map((edits) =>
  edits.reduce((text, e) => {
    const at = e.at % (text.length + 1);
    return text.slice(0, at) + e.text + text.slice(at + e.cut);
  }, CONFIG_TEXT),
);
const configText = fc.oneof(
  mutatedConfig,
  fc.json({ maxDepth: 4 }),
  fc.string({ maxLength: 200 }),
  fc.string({ maxLength: 200, unit: 'binary' }),
  fc.nat({ max: 5000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth % 3 ? depth : 0)),
  fc.dictionary(fc.constantFrom(...Object.keys(CONFIG), 'orgs', 'defaultOrg', 'egressIps', 'privateKey', '__proto__', 'constructor', 'toString'), fc.anything({ maxDepth: 2 })).map((o) => JSON.stringify({ ...CONFIG, ...o })),
);

describe('config: random and mutated input', () => {
  it('parseJsonStrict agrees with JSON.parse and fails only with a located syntax error', () => {
    fc.assert(
      fc.property(configText, (text) => {
        let expected: unknown;
        let valid = true;
        try {
          expected = JSON.parse(text);
        } catch {
          valid = false;
        }
        try {
          const parsed = parseJsonStrict(text);
          expect(valid).toBe(true);
          expect(parsed).toEqual(expected);
        } catch (error) {
          const located = (error as { jsonError?: { line: number; column: number; message: string } }).jsonError;
          expect(located, `${String(error)} for ${JSON.stringify(text.slice(0, 80))}`).toBeDefined();
          expect(located!.line).toBeGreaterThanOrEqual(1);
          // JSON.parse accepts deeper nesting than a config file may have; everything else it accepts, we accept.
          if (valid) expect(located!.message).toMatch(/nests more than/);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('validateOrgConfig never throws, whatever the value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything({ maxDepth: 3 }), fc.record(Object.fromEntries(Object.keys(CONFIG).map((k) => [k, fc.anything({ maxDepth: 1 })])))), (value) => {
        const problems = validateOrgConfig(value, { where: '.sfconnect.json' });
        for (const p of problems) expect(typeof p.message).toBe('string');
      }),
      RUNS,
    );
  });

  it('readConfigFile and loadConfig (with random SF_* variables) throw only UserError', async () => {
    const dir = await tempDir('sf-setup-fuzz-');
    await mkdir(path.join(dir, 'certs'));
    const file = path.join(dir, '.sfconnect.json');
    const envValue = fc.oneof(fc.constant(''), fc.constant('  '), fc.string({ maxLength: 30 }), fc.constantFrom('v59.0', '59', 'https://login.salesforce.com/services/oauth2/token', 'http://x', 'me@acme.com', 'prod', '~', '~/k.key', '-----BEGIN PRIVATE KEY-----\\nabc'));
    const env = fc.dictionary(fc.constantFrom('SF_INSTANCE_URL', 'SF_CLIENT_ID', 'SF_USERNAME', 'SF_PRIVATE_KEY', 'SF_PRIVATE_KEY_PATH', 'SF_TOKEN_URL', 'SF_API_VERSION', 'SF_AUDIENCE', 'SF_CERTIFICATE_PATH', 'SF_ORG'), envValue, { maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(configText, env, fc.option(fc.constantFrom('prod', 'uat', '')), async (text, vars, org) => {
        await writeFile(file, text);
        await onlyUserErrors(() => readConfigFile(file));
        const loaded = await onlyUserErrors(async () => {
          const config = await loadConfig({ cwd: dir, env: vars, org: org || undefined });
          expect(typeof config.values.tokenUrl).toBe('string');
          expect(typeof config.values.clientId).toBe('string');
        });
        if (loaded) expect(loaded.exitCode).toBe(2);
      }),
      RUNS,
    );
  });
});

describe('knowledge base: server bodies', () => {
  const word = fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('invalid_grant', 'invalid_client_id', 'user hasn\'t approved this consumer', 'ip restricted', 'audience is invalid', '\u001b[32m✓ Authentication successful\u001b[0m\n', 'a\r\nb'));
  it('printable hides every secret the process holds, and anything shaped like a JWT or an access token', () => {
    const held = new Secret(`opaque-${'q'.repeat(30)}`);
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIzTVZHOSJ9.c2lnbmF0dXJl';
    const token = '00D5g000004ABCD!AQ4AQFx9yz1234567890abcdefghij';
    const echoed = printable(`bad request: assertion=${jwt}&x=${held.reveal()} (Bearer ${token}) user me@acme.com`);
    expect(echoed).toBe('bad request: assertion=[redacted]&x=[redacted] (Bearer [redacted]) user me@acme.com');
    // Salesforce's own words pass as they are, URLs included.
    const words = "user hasn't approved this consumer: https://login.salesforce.com/services/oauth2/authorize?client_id=3MVG9abc";
    expect(printable(words)).toBe(words);
  });

  it('printable hides credentials in pasted text: secret/password fields, a bare Consumer Secret, PEM body lines', () => {
    const secret = 'A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6E7F8A9B0C1D2E3F4A5B6C7D8E9F0A1B2';
    const pemLine = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj';
    const cases: [string, string][] = [
      [`client identifier invalid client_secret=${secret}&grant_type=x`, 'client identifier invalid client_secret=[redacted]&grant_type=x'],
      [`{"client_secret": "s3cr3t-value", "error": "invalid_client"}`, '{"client_secret": "[redacted]", "error": "invalid_client"}'],
      [`clientSecret: 'abc.def' password=hunter22 SF_CLIENT_SECRET=xyz`, "clientSecret: '[redacted]' password=[redacted] SF_CLIENT_SECRET=[redacted]"],
      [`Authorization: Bearer opaque-token-value and refresh_token=5Aep861abc`, 'Authorization: Bearer [redacted] and refresh_token=[redacted]'],
      [`the secret ${secret} was pasted as the key`, 'the secret [redacted] was pasted as the key'],
      [`key ${pemLine} end`, 'key [redacted] end'],
    ];
    for (const [input, shown] of cases) expect(printable(input)).toBe(shown);
    for (const [input, shown] of [
      ['SF_PRIVATE_KEY_PASSPHRASE=hunter2 and passphrase: "open sesame"', 'SF_PRIVATE_KEY_PASSPHRASE=[redacted] and passphrase: "[redacted]"'],
      ['HTTPS_PROXY=http://bob:s3cretPw@proxy.acme.com:8080', 'HTTPS_PROXY=http://bob:[redacted]@proxy.acme.com:8080'],
    ] as const) expect(printable(input)).toBe(shown);
    // Salesforce's and people's words that only look like secrets stay as they are (diff review).
    for (const words of [
      'INVALID_SESSION_ID: Session expired or invalid',
      'Bearer token missing from the request',
      'password: must be reset before the next login',
      'at /home/someone/projects/integration/salesforce/deployment/pipelines/scripts/login.sh',
    ]) expect(printable(words)).toBe(words);
    // Not secrets: a Consumer Key, a public key fingerprint, a URL, an org ID.
    const consumerKey = '3MVG9IHf89I1t8hrvswazsWedXWY0i1qK20PSFaInvUgLFB6vrcb9bDOEDUTOMYZNpvjEcVM_ZuQ2bKJGTjJzj';
    const words = `client_id=${consumerKey} public key SHA-256: 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU= org 00D5g000004ABCDEAA https://acme.my.salesforce.com/services/oauth2/token`;
    expect(printable(words)).toBe(words);
  });

  it('classifyOAuthError never throws, and keeps Salesforce words printable', () => {
    fc.assert(
      fc.property(fc.oneof(fc.record({ error: fc.oneof(word, fc.anything()), error_description: fc.oneof(word, fc.anything()) }, { requiredKeys: [] }), fc.object()), (body) => {
        const result = classifyOAuthError(body as Record<string, unknown>);
        expect(typeof result.entry.code).toBe('string');
        for (const words of [result.error, result.errorDescription]) if (words !== undefined) expect(words).not.toMatch(CONTROL);
      }),
      { numRuns: 500 },
    );
  });

  it('classifyText on bodies with escape sequences and line breaks keeps them out of what it quotes', () => {
    fc.assert(
      fc.property(word, word, (error, description) => {
        const result = classifyText(JSON.stringify({ error, error_description: description }));
        if (result?.errorDescription) expect(result.errorDescription).not.toMatch(CONTROL);
      }),
      RUNS,
    );
  });
});

describe('token answers: random statuses, headers and bodies from a local server', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let server: Awaited<ReturnType<typeof localServer>>;
  let answer: { status: number; headers: Record<string, string>; body: string } = { status: 200, headers: {}, body: '' };
  beforeAll(async () => {
    server = await localServer((req, res) => {
      req.resume();
      req.on('end', () => {
        try {
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body);
        } catch {
          res.destroy();
        }
      });
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const hostile = fc.constantFrom('\u001b[2J\u001b[32m✓ Authentication successful\u001b[0m', 'line one\nline two', '\u0007\u0008', 'x'.repeat(2000), '<script>alert(1)</script>');
  const text = fc.oneof(fc.string({ maxLength: 80 }), hostile);
  const value = fc.oneof(text, fc.anything({ maxDepth: 1 }));
  const body = fc.oneof(
    fc.record({ access_token: value, instance_url: fc.oneof(value, fc.constantFrom('https://acme.my.salesforce.com', 'javascript:alert(1)', 'http://evil.example.com', 'https://x\n✓ ok', 'not a url')), id: value, scope: value, issued_at: value, token_type: value }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
    fc.record({ error: value, error_description: value }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
    fc.json({ maxDepth: 3 }),
    fc.string({ maxLength: 300 }),
    hostile,
  );
  const status = fc.oneof(fc.constantFrom(200, 200, 200, 400, 401, 403, 404, 500, 502, 503, 301, 302, 307), fc.integer({ min: 200, max: 599 }).filter((s) => s !== 204 && s !== 304));
  const headers = fc.record(
    {
      'content-type': fc.constantFrom('application/json', 'text/html', 'text/plain', 'application/json; charset=utf-8', ''),
      location: fc.constantFrom('https://evil.example.com/steal', '/relative', '::not a url::', 'https://login.salesforce.com/'),
      date: fc.constantFrom('Sun, 22 Nov 2026 12:00:00 GMT', 'yesterday', '0'),
    },
    { requiredKeys: [] },
  );

  it('requestToken returns a usable token or throws only UserError, whose words are printable', async () => {
    await fc.assert(
      fc.asyncProperty(status, headers, body, async (s, h, b) => {
        answer = { status: s, headers: Object.fromEntries(Object.entries(h).filter(([, v]) => v !== '')), body: b };
        const input = { tokenUrl: `${server.url}/services/oauth2/token`, clientId: '3MVG9abc', username: 'me@acme.com', audience: 'https://login.salesforce.com', privateKey };
        await onlyUserErrors(async () => {
          const token = await requestToken(input, { timeoutMs: 3000, env: {} });
          // A token is only ever accepted with an instance origin it may be sent to.
          expect(token.instanceUrl).toMatch(/^(https:\/\/[^/\s]+|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?)$/);
          expect(token.accessToken.reveal().length).toBeGreaterThanOrEqual(0);
        });
      }),
      { numRuns: 120 },
    );
  });
});

