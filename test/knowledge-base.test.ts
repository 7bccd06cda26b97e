import { renderEntry } from '../src/diagnostics/render.js';
import { SalesforceError } from '../src/salesforce/token.js';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyOAuthError, classifyText } from '../src/diagnostics/classify.js';
import { KNOWLEDGE_BASE, entryFor } from '../src/diagnostics/knowledge-base.js';

/** Every error of the facts sheet (../shared/reference/salesforce-jwt-facts.md) and the code it maps to. */
const FACTS: [string | undefined, string, string][] = [
  ['invalid_grant', "user hasn't approved this consumer", 'user_not_approved'],
  ['invalid_grant', 'invalid assertion', 'invalid_signature'],
  ['invalid_grant', 'audience is invalid', 'audience_invalid'],
  ['invalid_grant', 'expired authorization code', 'assertion_expired'],
  ['invalid_grant', 'ip restricted', 'ip_restricted'],
  ['invalid_grant', 'IP restricted or invalid login hours', 'ip_restricted'],
  ['invalid_client_id', 'client identifier invalid', 'invalid_client_id'],
  ['invalid_app_access', 'user is not admin approved to access this app', 'user_not_assigned'],
  ['invalid_request', 'refresh_token scope is required and the connected app should be installed and preauthorized', 'scope_missing'],
  ['invalid_grant', 'External client app is not installed in this org', 'app_not_installed'],
  ['invalid_client', 'External client app is not installed in this org', 'app_not_installed'],
  ['unsupported_grant_type', 'grant type not supported', 'unsupported_grant_type'],
  ['inactive_user', 'user is inactive', 'user_inactive'],
  ['inactive_org', 'organization is locked, closed, or suspended', 'org_inactive'],
  ['rate_limit_exceeded', 'number of logins exceeded', 'rate_limited'],
  ['invalid_grant', 'authentication failure', 'authentication_failure'],
  ['invalid_client', 'app must be installed into org', 'app_not_installed'],
];

describe('knowledge base', () => {
  it('has unique codes and every entry has causes and fix steps', () => {
    const codes = KNOWLEDGE_BASE.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const entry of KNOWLEDGE_BASE) {
      expect(entry.causes.length, entry.code).toBeGreaterThan(0);
      expect(entry.fix.length, entry.code).toBeGreaterThan(0);
      expect(entry.title.length, entry.code).toBeGreaterThan(5);
    }
  });

  it('covers every code the core issue names', () => {
    const required = 'user_not_approved invalid_signature certificate_expired certificate_expiring ip_restricted invalid_grant invalid_client_id audience_invalid assertion_expired app_not_installed user_not_assigned scope_missing user_inactive org_inactive rate_limited unsupported_grant_type dns_failure network_unreachable timeout tls_untrusted unexpected_response config_missing config_invalid key_missing key_invalid key_encrypted key_permissions key_weak cert_missing cert_invalid key_cert_mismatch environment_mismatch api_version_unsupported token_url_untrusted'.split(' ');
    for (const code of required) expect(() => entryFor(code), code).not.toThrow();
  });

  it('ip_restricted carries the allowlist reminder and the Relax IP note', () => {
    const fix = entryFor('ip_restricted').fix.join('\n');
    expect(fix).toMatch(/Login IP Ranges/);
    expect(fix).toMatch(/Start Address = IP End Address/);
    expect(fix).toMatch(/CI runner/);
    expect(fix).toMatch(/Relax IP restrictions/);
  });

  it('user_not_approved gives both fixes of the seeds and the propagation delay', () => {
    const fix = entryFor('user_not_approved').fix.join('\n');
    expect(fix).toMatch(/Admin approved users are pre-authorized/);
    expect(fix).toMatch(/Manage Profiles or Manage Permission Sets/);
    expect(fix).toMatch(/authorize URL/);
    expect(fix).toMatch(/2-10 minutes/);
  });
});

describe('classifyOAuthError', () => {
  it.each(FACTS)('%s / %s -> %s', (error, description, code) => {
    expect(classifyOAuthError({ error, error_description: description }).entry.code).toBe(code);
  });

  it('falls back to the catch-all of the error value, then to oauth_error', () => {
    expect(classifyOAuthError({ error: 'invalid_grant', error_description: 'something new' }).entry.code).toBe('invalid_grant');
    expect(classifyOAuthError({ error: 'invalid_client_id' }).entry.code).toBe('invalid_client_id');
    expect(classifyOAuthError({ error: 'brand_new', error_description: 'whatever' }).entry.code).toBe('oauth_error');
    expect(classifyOAuthError({}).entry.code).toBe('oauth_error');
  });
});

describe('classifyText (explain)', () => {
  it.each([
    ['invalid_grant: audience is invlaid', 'audience_invalid'],
    ['invalid_grant: expired authorisation code', 'assertion_expired'],
    ['{"error":"invalid_grant","error_description":"invalid assertation"}', 'invalid_signature'],
    ['invalid_client_id: client identifer invalid', 'invalid_client_id'],
  ])('a near miss of Salesforce\'s wording (%s) reads as it, quoted as the user\'s words', (pasted, code) => {
    const found = classifyText(pasted)!;
    expect(found.entry.code).toBe(code);
    expect(found.loose).toBeDefined();
    expect(found.errorDescription).toBeUndefined();
  });

  it('a description nothing like a known one stays unknown; a server answer is never read as a near miss', () => {
    expect(classifyText('{"error":"invalid_grant","error_description":"something brand new happened"}')!.entry.code).toBe('invalid_grant');
    expect(classifyOAuthError({ error: 'invalid_grant', error_description: 'audience is invlaid' }).entry.code).toBe('invalid_grant');
    // Near misses are typos, not other errors (diff review): another flow's real answer, another word.
    for (const other of ['invalid authorization code', 'invalid session', 'authorization failure', 'External client app is not enabled in this org']) {
      expect(classifyText(`{"error":"invalid_grant","error_description":"${other}"}`)!.loose, other).toBeUndefined();
    }
  });

  it('an OAuth error value without an entry reads the same pasted as text or as a JSON body', () => {
    const asText = classifyText('invalid_client: invalid client credentials');
    const asJson = classifyText('{"error":"invalid_client","error_description":"invalid client credentials"}');
    expect(asText?.entry.code).toBe('oauth_error');
    expect(asJson?.entry.code).toBe('oauth_error');
    expect(asText?.errorDescription).toBe(asJson?.errorDescription);
  });

  it("Salesforce's words are quoted without the paste's own punctuation or wrapper text", () => {
    const sfJson = classifyText('{\n  "status": 1,\n  "name": "JwtGrantError",\n  "message": "invalid_client_id: client identifier invalid",\n  "exitCode": 1\n}')!;
    expect(sfJson.entry.code).toBe('invalid_client_id');
    const said = [sfJson.error, sfJson.errorDescription].filter(Boolean).join(': ');
    expect(said).toBe('invalid_client_id: client identifier invalid');
    const mule = classifyText('org.mule.extension.salesforce.api.SalesforceException: invalid_grant - audience is invalid')!;
    expect(mule.entry.code).toBe('audience_invalid');
    expect(mule.errorDescription).toBe('audience is invalid');
    const query = classifyText('https://acme.my.salesforce.com/callback?error=invalid_client_id&error_description=client identifier invalid')!;
    expect(query.entry.code).toBe('invalid_client_id');
    expect(query.errorDescription).toBe('client identifier invalid');
  });

  it('a log with several errors: the last one is the outcome, the earlier ones are named, in order', () => {
    const log = ["attempt 1: invalid_grant: ip restricted", "attempt 2: invalid_grant: user hasn't approved this consumer", 'attempt 3: invalid_grant: invalid assertion'].join('\n');
    const forward = classifyText(log)!;
    expect(forward.entry.code).toBe('invalid_signature');
    expect(forward.errorDescription).toBe('invalid assertion');
    expect(forward.alsoFound?.map((o) => o.code)).toEqual(['ip_restricted', 'user_not_approved']);
    const reversed = classifyText(log.split('\n').reverse().join('\n'))!;
    expect(reversed.entry.code).toBe('ip_restricted');
    expect(reversed.errorDescription).toBe('ip restricted');
    expect(reversed.alsoFound?.map((o) => o.code)).toEqual(['invalid_signature', 'user_not_approved']);
    // Different error values on different lines: each line's own value counts (diff review).
    const mixed = classifyText('09:00 invalid_grant: ip restricted\n09:05 invalid_client_id: client identifier invalid')!;
    expect(mixed.entry.code).toBe('invalid_client_id');
    expect(mixed.error).toBe('invalid_client_id');
    expect(mixed.errorDescription).toBe('client identifier invalid');
    expect(mixed.alsoFound?.map((o) => o.code)).toEqual(['ip_restricted']);
    const mixedBack = classifyText('09:00 invalid_client_id: client identifier invalid\n09:05 invalid_grant: ip restricted')!;
    expect(mixedBack.entry.code).toBe('ip_restricted');
    expect(mixedBack.alsoFound?.map((o) => o.code)).toEqual(['invalid_client_id']);
    // One error: nothing else named. The sf CLI's "audience is invalid" lines for other hosts are not errors to list.
    expect(classifyText('invalid_grant: invalid assertion')!.alsoFound).toBeUndefined();
    const sfCli = classifyText(['Error: invalid_grant: audience is invalid', "Error: invalid_grant: user hasn't approved this consumer", 'Error: invalid_grant: audience is invalid'].join('\n'))!;
    expect(sfCli.entry.code).toBe('user_not_approved');
    expect(sfCli.alsoFound).toBeUndefined();
  });

  it('JSON bodies in a log count like text lines: the last is the outcome, the earlier ones are named (KB review)', () => {
    const bodies = [
      '10:00 POST /token 400 {"error":"invalid_client_id","error_description":"client identifier invalid"}',
      '10:05 POST /token 400 {"error":"invalid_grant","error_description":"invalid assertion"}',
    ];
    const two = classifyText(bodies.join('\n'))!;
    expect(two.entry.code).toBe('invalid_signature');
    expect(two.error).toBe('invalid_grant');
    expect(two.errorDescription).toBe('invalid assertion');
    expect(two.alsoFound?.map((o) => o.code)).toEqual(['invalid_client_id']);
    // A JSON body and a text line: the text line is later, so it is the outcome; "audience is invalid" is not listed.
    const mixed = classifyText('{"error":"invalid_grant","error_description":"audience is invalid"}\nError: invalid_grant: user hasn\'t approved this consumer')!;
    expect(mixed.entry.code).toBe('user_not_approved');
    expect(mixed.errorDescription).toBe("user hasn't approved this consumer");
    expect(mixed.alsoFound).toBeUndefined();
    const textFirst = classifyText('Error: invalid_grant: ip restricted\n{"error":"invalid_grant","error_description":"invalid assertion"}')!;
    expect(textFirst.entry.code).toBe('invalid_signature');
    expect(textFirst.alsoFound?.map((o) => o.code)).toEqual(['ip_restricted']);
    // Python dicts and Java maps, one per line, read the same way.
    const dicts = classifyText("{'error': 'invalid_grant', 'error_description': 'ip restricted'}\n{error=invalid_grant, error_description=expired authorization code}")!;
    expect(dicts.entry.code).toBe('assertion_expired');
    expect(dicts.alsoFound?.map((o) => o.code)).toEqual(['ip_restricted']);
    // One pretty-printed body is one error, not one per line.
    const pretty = classifyText(JSON.stringify({ error: 'invalid_grant', error_description: 'invalid assertion' }, null, 2))!;
    expect(pretty.entry.code).toBe('invalid_signature');
    expect(pretty.alsoFound).toBeUndefined();
    // The same error twice is one error.
    expect(classifyText([bodies[1], bodies[1]].join('\n'))!.alsoFound).toBeUndefined();
    // Two bodies, each pretty-printed over several lines (diff review).
    const prettyTwo = classifyText(
      [JSON.stringify({ error: 'invalid_client_id', error_description: 'client identifier invalid' }, null, 2), 'retrying…', JSON.stringify({ error: 'invalid_grant', error_description: 'invalid assertion' }, null, 2)].join('\n'),
    )!;
    expect(prettyTwo.entry.code).toBe('invalid_signature');
    expect(prettyTwo.alsoFound?.map((o) => o.code)).toEqual(['invalid_client_id']);
  });

  it.each(FACTS)('"%s: %s" -> %s', (error, description, code) => {
    expect(classifyText(`${error}: ${description}`)?.entry.code).toBe(code);
  });

  it.each(FACTS)('a whole JSON body for %s / %s -> %s', (error, description, code) => {
    expect(classifyText(JSON.stringify({ error, error_description: description }))?.entry.code).toBe(code);
  });

  it.each([
    ['invalid_grant: ip restricted', 'ip_restricted'],
    ['OAUTH_APPROVAL_ERROR_GENERIC', 'app_not_installed'],
    ['https://login.salesforce.com/setup/secur/RemoteAccessErrorPage.apexp?error=invalid_client&error_description=app+must+be+installed+into+org', 'app_not_installed'],
    ["Error (1): Error authenticating with JWT. invalid_grant: user hasn't approved this consumer", 'user_not_approved'],
    ['ERROR running force:auth:jwt:grant:  audience is invalid', 'audience_invalid'],
    ['2024-01-01 ERROR {"error":"invalid_grant","error_description":"invalid assertion"} at line 3', 'invalid_signature'],
    ['invalid_grant', 'invalid_grant'],
    ['ip_restricted', 'ip_restricted'],
    ['getaddrinfo ENOTFOUND login.salesforce.co', 'dns_failure'],
    ['connect ECONNREFUSED 10.0.0.1:443', 'network_unreachable'],
    ['self-signed certificate in certificate chain', 'tls_untrusted'],
    // Pasted, INVALID_SESSION_ID says nothing of when: an expired session and a missing api scope both fit.
    ['[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]', 'session_invalid'],
    ['Error: certificate expired', 'certificate_expired'],
    // Pastes a review found unrecognised or misread.
    ['Error: invalid_grant: expired access/refresh token', 'refresh_token_expired'],
    ['user hasn\u2019t approved this consumer', 'user_not_approved'],
    ["hasn't approved", 'user_not_approved'],
    ['audience invalid', 'audience_invalid'],
    ['ip restriced', 'ip_restricted'],
    ['login hours', 'ip_restricted'],
    ['invalid_assertion', 'invalid_signature'],
    ['app must be installed', 'app_not_installed'],
    ['org is locked', 'org_inactive'],
    ['API_DISABLED_FOR_ORG', 'api_disabled'],
    ['curl: (6) Could not resolve host: login.salesforce.com', 'dns_failure'],
    ['curl: (7) Failed to connect to login.salesforce.com port 443: Connection refused', 'network_unreachable'],
    ['curl: (60) SSL certificate problem: unable to get local issuer certificate', 'tls_untrusted'],
    ['unable to get local issuer certificate', 'tls_untrusted'],
    // The Salesforce CLI's many "audience is invalid" lines do not hide the real error.
    ['invalid_grant: audience is invalid\ninvalid_grant: audience is invalid\ninvalid_grant: ip restricted\ninvalid_grant: audience is invalid', 'ip_restricted'],
  ])('%s -> %s', (text, code) => {
    expect(classifyText(text)?.entry.code).toBe(code);
  });

  it("quotes Salesforce's words from the line it recognised; from the error value alone it says so", () => {
    expect(classifyText('invalid_grant: audience is invalid\nERROR invalid_grant: ip restricted')).toMatchObject({ error: 'invalid_grant', errorDescription: 'ip restricted' });
    expect(classifyText('invalid_grant: ip restricted')).toMatchObject({ errorDescription: 'ip restricted' });
    expect(classifyText('invalid_grant: ip restricted')?.errorOnly).toBeFalsy();
    expect(classifyText('invalid_request')).toMatchObject({ error: 'invalid_request', errorOnly: true });
    expect(classifyText('invalid_request: something else entirely')).toMatchObject({ errorDescription: 'something else entirely', errorOnly: false });
  });

  it("words that are not Salesforce's (a paraphrase, a guide's wording) are quoted as the user's, never as Salesforce's", () => {
    const loose = classifyText('my user gets blocked by login hours I think');
    expect(loose).toMatchObject({ loose: 'my user gets blocked by login hours I think' });
    expect(loose?.error).toBeUndefined();
    expect(loose?.errorDescription).toBeUndefined();
    expect(classifyText('invalid signature')).toMatchObject({ loose: 'invalid signature' });
    // Salesforce's own wording, old or new, with or without the error value, is Salesforce's.
    for (const exact of ['IP restricted or invalid login hours', 'invalid_grant: ip restricted', 'ip restricted', 'invalid_grant: invalid signature']) {
      expect(classifyText(exact)?.loose, exact).toBeUndefined();
      expect(classifyText(exact)?.errorDescription, exact).toBeTruthy();
    }
    const style = { red: String, yellow: String, green: String, bold: String, dim: String, cyan: String } as never;
    const card = renderEntry(loose!, style);
    expect(card).not.toContain('Salesforce said');
    expect(card).toContain('  You pasted: my user gets blocked by login hours I think\n  That is not Salesforce\'s exact wording; it reads like this answer:');
    expect(card).toContain('Likely causes');
  });

  it("Salesforce's error value beats a network word elsewhere in the paste (a stack frame, a timeout= argument)", () => {
    expect(classifyText('Error: invalid_grant\n    at listOnTimeout (node:internal/timers:569:17)')).toMatchObject({ entry: { code: 'invalid_grant' }, errorOnly: true });
    expect(classifyText("requests.post(url, data=body, timeout=30)\n{'error': 'invalid_grant', 'error_description': 'ip restricted'}")?.entry.code).toBe('ip_restricted');
    // Without an error value the symptom is all there is.
    expect(classifyText('The request timed out')?.entry.code).toBe('timeout');
  });

  it("an error value with a description sf-setup does not know is Salesforce's own words, not another entry's", () => {
    const unknown = classifyOAuthError({ error: 'invalid_request', error_description: 'missing required code challenge' });
    expect(unknown).toMatchObject({ entry: { code: 'oauth_error' }, error: 'invalid_request', errorDescription: 'missing required code challenge' });
    expect(classifyText('{"error":"invalid_request","error_description":"missing required code challenge"}')?.entry.code).toBe('oauth_error');
    expect(classifyText('invalid_request: invalid assertion type')?.entry.code).toBe('oauth_error');
    // invalid_grant has a catch-all entry for its unknown descriptions; a value alone is still its most common case.
    expect(classifyOAuthError({ error: 'invalid_grant', error_description: 'something new' }).entry.code).toBe('invalid_grant');
    expect(classifyText('invalid_request')).toMatchObject({ entry: { code: 'scope_missing' }, errorOnly: true });
    // A value only one entry has names that entry, whatever the wording.
    expect(classifyText('{"error":"inactive_user","error_description":"the user is deactivated"}')?.entry.code).toBe('user_inactive');
    expect(classifyOAuthError({ error: 'invalid_client_id', error_description: 'client id not found' }).entry.code).toBe('invalid_client_id');
  });

  it.each([
    ["[2025-12-02 10:11:12,345] ERROR root: {'error': 'invalid_grant', 'error_description': \"user hasn't approved this consumer\"}", 'user_not_approved', "user hasn't approved this consumer"],
    ["{ error: 'invalid_grant', error_description: 'ip restricted' }", 'ip_restricted', 'ip restricted'],
    ['{error=invalid_grant, error_description=audience is invalid}', 'audience_invalid', 'audience is invalid'],
  ])('fields of a dict or object printout: %s', (text, code, description) => {
    expect(classifyText(text)).toMatchObject({ entry: { code }, error: 'invalid_grant', errorDescription: description });
  });

  it.each([
    ['ERROR running force:auth:jwt:grant:  Error: error:0909006C:PEM routines:get_name:no start line', 'key_invalid'],
    ['secretOrPrivateKey must be an asymmetric key when using RS256', 'key_invalid'],
    ['Error: error:1E08010C:DECODER routines::unsupported', 'key_invalid'],
    ['error:1C800064:Provider routines::bad decrypt', 'key_encrypted'],
  ])('key file errors: %s -> %s', (text, code) => {
    expect(classifyText(text)?.entry.code).toBe(code);
  });

  it('keeps Salesforce words found in the text', () => {
    const match = classifyText('{"error":"invalid_grant","error_description":"ip restricted"}');
    expect(match?.error).toBe('invalid_grant');
    expect(match?.errorDescription).toBe('ip restricted');
  });

  it('returns null for text it does not know', () => {
    expect(classifyText('')).toBeNull();
    expect(classifyText('the weather is nice')).toBeNull();
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.constantFrom('{', '{"error":', 'error=%E0%A4%A', '}{')), (text) => {
        const result = classifyText(text);
        expect(result === null || typeof result.entry.code === 'string').toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('one entry, several wordings (variants)', () => {
  it('the External Client App wording of app_not_installed leads with its own causes and fix, and is hedged', () => {
    const eca = classifyText('{"error":"invalid_grant","error_description":"External client app is not installed in this org"}')!;
    expect(eca.entry.code).toBe('app_not_installed');
    expect(eca.entry.causes[0]).toMatch(/External Client App/);
    expect(eca.entry.fix[0]).toMatch(/^External Client App: use the My Domain/);
    expect(eca.entry.confidence).toBe('medium');
    expect(eca.entry.summary).toMatch(/documents this answer poorly/);
    // The Connected App wordings keep the entry's own order and confidence.
    for (const words of ['OAUTH_APPROVAL_ERROR_GENERIC https://acme.my.salesforce.com/setup/secur/RemoteAccessErrorPage.apexp?error=invalid_client&error_description=app+must+be+installed+into+org', 'invalid_client: app must be installed into org']) {
      const app = classifyText(words)!;
      expect(app.entry.code, words).toBe('app_not_installed');
      expect(app.entry.causes[0], words).toMatch(/Connected App is not installed/);
      expect(app.entry.confidence, words).toBe('high');
    }
    // The browser page's code alone is the likely reading (the guide: "most likely"), said as a browser page.
    const bare = classifyText('OAUTH_APPROVAL_ERROR_GENERIC')!;
    expect(bare.entry.code).toBe('app_not_installed');
    expect(bare.entry.confidence).toBe('medium');
    expect(bare.entry.summary).toMatch(/^OAUTH_APPROVAL_ERROR_GENERIC is a browser page.*Most likely/);
    expect(bare.entry.causes[0]).toMatch(/Connected App is not installed/);
  });
});

describe('ip restricted: the facts sheet gives the rule high confidence and the text medium', () => {
  it('is hedged ("likely"), names both causes in its title, and says the wording varies', () => {
    const found = classifyText('invalid_grant: ip restricted')!;
    expect(found.entry.code).toBe('ip_restricted');
    expect(found.entry.confidence).toBe('medium');
    expect(found.entry.title).toMatch(/IP address/);
    expect(found.entry.title).toMatch(/login hours/i);
    expect(found.entry.summary).toMatch(/IP restricted or invalid login hours/);
    // The rule itself is stated as a rule.
    expect(found.entry.fix.join(' ')).toMatch(/always enforces the profile's Login IP Ranges/);
  });
});

describe('a password login pasted into explain is said to be one, not read as a JWT refusal', () => {
  it.each([
    'INVALID_LOGIN: Invalid username, password, security token; or user locked out.',
    'sfdx force:auth ... ERROR: INVALID_LOGIN',
    '<faultcode>sf:INVALID_LOGIN</faultcode>',
    'LOGIN_MUST_USE_SECURITY_TOKEN: Invalid username, password, security token; or user locked out. Are you at a new location?',
  ])('%s', (words) => {
    const found = classifyText(words)!;
    expect(found?.entry.code).toBe('password_login');
    // Not in the facts sheet: the reading is hedged.
    expect(found.entry.confidence).toBe('medium');
    expect(found.entry.summary).toMatch(/password/);
    expect(found.entry.summary).toMatch(/not the JWT Bearer Flow/);
    expect(found.entry.fix.join(' ')).toMatch(/sf-setup/);
  });

  it('a JWT refusal in the same log still wins when it comes last', () => {
    expect(classifyText('INVALID_LOGIN: Invalid username, password\ninvalid_grant: invalid assertion')?.entry.code).toBe('invalid_signature');
  });
});

describe('an answer that is not Salesforce JSON: its own words order the causes', () => {
  const unexpected = (message: string) => new SalesforceError({ entry: entryFor('unexpected_response') }, message).classification.entry;
  it.each([
    ['login.salesforce.com answered 407 with an HTML page, not Salesforce\'s JSON: "Proxy Authentication Required"', /^A proxy/, /credentials/],
    ['login.salesforce.com answered 302 redirecting to https://sso.example.com; not followed', /URL is wrong/, /tokenUrl/],
    ['acme.my.salesforce.com answered 503 with an HTML page, not Salesforce\'s JSON: "Maintenance in progress"', /maintenance/, /status\.salesforce\.com/],
  ])('%s', (message, cause, fix) => {
    const entry = unexpected(message);
    expect(entry.code).toBe('unexpected_response');
    expect(entry.causes[0]).toMatch(cause);
    expect(entry.fix[0]).toMatch(fix);
  });

  it('a refused connection is not "no network"', () => {
    const entry = classifyText('connect ECONNREFUSED 127.0.0.1:443')!.entry;
    expect(entry.summary).toMatch(/refused/);
    expect(entry.causes[0]).not.toMatch(/No network/);
  });
});

describe('the knowledge base against the facts sheet and the guides (KB review)', () => {
  const fixOf = (code: string) => entryFor(code).fix.join('\n');

  it('every step naming a Connected App page gives the External Client App page too', () => {
    for (const code of ['user_not_approved', 'scope_missing', 'invalid_signature', 'user_not_assigned', 'key_cert_mismatch', 'certificate_expired', 'invalid_grant', 'api_scope_missing']) {
      for (const step of entryFor(code).fix) {
        if (/Edit Policies|Use digital signatures|Selected OAuth Scopes|Manage Profiles/.test(step)) expect(step, `${code}: ${step}`).toMatch(/External Client App: /);
      }
    }
    expect(fixOf('invalid_signature')).toMatch(/Flow Enablement > Enable JWT Bearer Flow/);
    expect(fixOf('user_not_approved')).toMatch(/Policies > Edit > OAuth Policies/);
  });

  it('"Approve Uninstalled Connected Apps" is not said to come only with one profile', () => {
    const fix = fixOf('app_not_installed');
    expect(fix).not.toMatch(/comes only with/);
    expect(fix).toMatch(/permission set/);
  });

  it('invalid_grant with no description lists the IP / login hours, audience and clock causes too (guide 003: "Authorization Failed: invalid_grant")', () => {
    const found = classifyText('Authorization Failed: invalid_grant')!;
    expect(found.entry.code).toBe('invalid_grant');
    const causes = found.entry.causes.join('\n');
    expect(causes).toMatch(/Login IP Ranges|login hours/i);
    expect(causes).toMatch(/aud/);
    expect(causes).toMatch(/clock/);
  });

  it.each([
    ['invalid_request: refresh token scope is required and the connected app should be installed and pre-authorized', 'scope_missing'],
    ['external client app not installed in this org', 'app_not_installed'],
  ])('a near wording of the facts sheet: %s -> %s', (words, code) => {
    expect(classifyText(words)?.entry.code).toBe(code);
  });

  it('the api scope is named by its Setup label, with the older one beside it, in the KB and the checklist alike', () => {
    for (const code of ['scope_missing', 'api_scope_missing']) expect(fixOf(code)).toMatch(/"Manage user data via APIs \(api\)" \(older label: "Access and manage your data"\)/);
  });

  it('clock_skew: behind by more than 180 s is expired; the warning starts earlier', () => {
    const summary = entryFor('clock_skew').summary;
    expect(summary).toMatch(/more than 180 seconds behind/);
    expect(summary).not.toMatch(/about 150 seconds behind makes every assertion arrive expired/);
  });

  it('authentication_failure does not claim the inactive user, which has its own answer (user is inactive)', () => {
    expect(entryFor('authentication_failure').causes.join('\n')).not.toMatch(/inactive/);
  });
});

describe('"Salesforce said" quotes Salesforce\'s words, not the tool\'s prefix (KB review)', () => {
  it.each([
    ["Error (1): user hasn't approved this consumer", "user hasn't approved this consumer"],
    ["org.springframework.security.oauth2.core.OAuth2AuthorizationException: [invalid_grant] user hasn't approved this consumer", "user hasn't approved this consumer"],
    ['Login URL: https://login.salesforce.com, Audience: https://login.salesforce.com, Error: ip restricted', 'ip restricted'],
    ['Error: "user hasn\'t approved this consumer"', "user hasn't approved this consumer"],
  ])('%s', (pasted, said) => {
    expect(classifyText(pasted)?.errorDescription).toBe(said);
  });
});

describe('the maintenance page is as sure as the facts sheet says (high) (KB review)', () => {
  it('an HTML page saying maintenance or Data Not Available: high confidence; another page stays hedged', () => {
    for (const page of ['<html><body>This org is down for scheduled maintenance</body></html>', '<html><title>Data Not Available</title></html>']) {
      const found = classifyText(page)!;
      expect(found.entry.code, page).toBe('unexpected_response');
      expect(found.entry.confidence, page).toBe('high');
    }
    expect(classifyText('<html><body>Login</body></html>')!.entry.confidence).toBe('medium');
  });
});

