import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, DEFAULT_USERNAME, startEmulator } from '../src/emulator/index.js';
import { makeKeyAndCert, signAssertion } from './helpers/certs.js';
import { assertionFor, goodClaims, postToken, sharedKey, useEmulators } from './helpers/emulator.js';

const start = useEmulators();

const body = (error: string, description: string) => JSON.stringify({ error, error_description: description });
const UNSUPPORTED = body('unsupported_grant_type', 'grant type not supported');
const INVALID_ASSERTION = body('invalid_grant', 'invalid assertion');

describe('token endpoint: success', () => {
  it('answers 200 with exactly the JWT flow fields and no refresh_token', async () => {
    const org = await start();
    const before = Date.now();
    const answer = await postToken(org, assertionFor(org));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    const json = answer.json;
    expect(Object.keys(json).sort()).toEqual(['access_token', 'id', 'instance_url', 'issued_at', 'scope', 'signature', 'token_type']);
    expect(json.access_token).toMatch(/^00D[A-Za-z0-9]{12}!AQ[A-Za-z0-9._]{90,}$/);
    expect(json.scope).toBe('api refresh_token offline_access');
    expect(json.instance_url).toBe(org.url);
    expect(json.id).toBe(`${org.url}/id/${org.state.org.orgId}/${org.state.users[0].userId}`);
    expect(org.state.org.orgId).toMatch(/^00D[A-Za-z0-9]{15}$/);
    expect(org.state.users[0].userId).toMatch(/^005[A-Za-z0-9]{15}$/);
    expect(json.token_type).toBe('Bearer');
    expect(Number(json.issued_at)).toBeGreaterThanOrEqual(before);
    expect(json.signature).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(Math.abs(Date.parse(answer.headers.get('date') ?? '') - Date.now())).toBeLessThan(2000);
    // Each token is new.
    expect((await postToken(org, assertionFor(org))).json.access_token).not.toBe(json.access_token);
  });

  it('has realistic defaults: an 85-character 3MVG9 consumer key, demo@example.com, My Domain = url', async () => {
    const org = await start();
    expect(DEFAULT_CLIENT_ID).toHaveLength(85);
    expect(DEFAULT_CLIENT_ID).toMatch(/^3MVG9[A-Za-z0-9_.]+$/);
    expect(org.clientId).toBe(DEFAULT_CLIENT_ID);
    expect(org.username).toBe(DEFAULT_USERNAME);
    expect(org.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(org.tokenUrl).toBe(`${org.url}/services/oauth2/token`);
    expect(org.audience).toBe(org.url);
  });

  it('honours clientId and username options; usernames match case-insensitively', async () => {
    const org = await start({ clientId: '3MVG9custom', username: 'Integration@Acme.com' });
    expect((await postToken(org, assertionFor(org))).status).toBe(200);
    expect((await postToken(org, assertionFor(org, { sub: 'integration@acme.com' }))).status).toBe(200);
  });

  it('accepts a form content type with a charset parameter', async () => {
    const org = await start();
    const answer = await postToken(org, assertionFor(org), { contentType: 'application/x-www-form-urlencoded; charset=UTF-8' });
    expect(answer.status).toBe(200);
  });
});

describe('token endpoint: transport mistakes -> unsupported_grant_type', () => {
  it.each([
    ['GET', { method: 'GET' }],
    ['PUT', { method: 'PUT' }],
    ['a JSON body', { contentType: 'application/json' }],
    ['text/plain', { contentType: 'text/plain' }],
    ['grant_type=password', { grantType: 'password' }],
    ['grant_type=client_credentials', { grantType: 'client_credentials' }],
  ])('%s', async (_label, init) => {
    const org = await start();
    const answer = await postToken(org, assertionFor(org), init);
    expect(answer.status).toBe(400);
    expect(answer.text).toBe(UNSUPPORTED);
  });

  it('no grant_type at all', async () => {
    const org = await start();
    const answer = await postToken(org, '', { body: `assertion=${assertionFor(org)}` });
    expect(answer.text).toBe(UNSUPPORTED);
  });
});

describe('token endpoint: malformed assertions -> invalid assertion', () => {
  it.each([
    ['empty', () => ''],
    ['two parts', (a: string) => a.split('.').slice(0, 2).join('.')],
    ['four parts', (a: string) => `${a}.x`],
    ['not JSON', () => 'bm90IGpzb24.bm90IGpzb24.c2ln'],
  ])('%s', async (_label, mangle) => {
    const org = await start();
    const answer = await postToken(org, mangle(assertionFor(org)));
    expect(answer.status).toBe(400);
    expect(answer.text).toBe(INVALID_ASSERTION);
  });

  it('standard base64 (with +, / or = padding) is malformed even though the signature is right', async () => {
    const org = await start();
    const assertion = assertionFor(org, {}, { standardBase64: true });
    expect(assertion).toMatch(/[+/=]/);
    expect((await postToken(org, assertion)).text).toBe(INVALID_ASSERTION);
  });

  it.each(['HS256', 'none', 'RS512', 'PS256'])('alg %s', async (alg) => {
    const org = await start();
    expect((await postToken(org, assertionFor(org, {}, { header: { alg } }))).text).toBe(INVALID_ASSERTION);
  });

  it('accepts extra header fields (typ, kid) with RS256', async () => {
    const org = await start();
    expect((await postToken(org, assertionFor(org, {}, { header: { alg: 'RS256', typ: 'JWT', kid: 'x' } }))).status).toBe(200);
  });
});

describe('token endpoint: the checks, in Salesforce order', () => {
  it('unknown iss -> invalid_client_id, before the signature is looked at', async () => {
    const org = await start();
    const other = makeKeyAndCert();
    for (const iss of ['3MVG9unknown', `${org.clientId} `, undefined]) {
      const answer = await postToken(org, signAssertion(other.privateKeyPem, goodClaims(org, { iss })));
      expect(answer.text).toBe(body('invalid_client_id', 'client identifier invalid'));
    }
  });

  it('a key that does not match the uploaded certificate -> invalid assertion', async () => {
    const org = await start();
    const other = makeKeyAndCert();
    expect((await postToken(org, assertionFor(org, {}, { key: other.privateKeyPem }))).text).toBe(INVALID_ASSERTION);
  });

  it('a tampered payload -> invalid assertion', async () => {
    const org = await start();
    const [header, , signature] = assertionFor(org).split('.');
    const payload = Buffer.from(JSON.stringify(goodClaims(org, { sub: 'admin@example.com' }))).toString('base64url');
    expect((await postToken(org, `${header}.${payload}.${signature}`)).text).toBe(INVALID_ASSERTION);
  });

  it('no certificate uploaded -> invalid assertion; uploading it fixes it', async () => {
    const org = await start({ certificates: [] });
    expect((await postToken(org, assertionFor(org))).text).toBe(INVALID_ASSERTION);
    org.uploadCertificate(sharedKey().certificatePem);
    expect((await postToken(org, assertionFor(org))).status).toBe(200);
  });

  it('upload replaces by default; { replace: false } keeps both (rotation)', async () => {
    const org = await start();
    const next = makeKeyAndCert();
    org.uploadCertificate(next.certificatePem, { replace: false });
    expect(org.state.apps[0].certificates).toHaveLength(2);
    expect((await postToken(org, assertionFor(org))).status).toBe(200);
    expect((await postToken(org, assertionFor(org, {}, { key: next.privateKeyPem }))).status).toBe(200);
    org.uploadCertificate(next.certificatePem);
    expect(org.state.apps[0].certificates).toHaveLength(1);
    expect((await postToken(org, assertionFor(org))).text).toBe(INVALID_ASSERTION);
  });

  it('refuses something that is not a certificate, at upload and at start', async () => {
    const org = await start();
    expect(() => org.uploadCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow(TypeError);
    expect(() => org.uploadCertificate(sharedKey().privateKeyPem)).toThrow(/not an X.509 certificate/);
    await expect(startEmulator({ certificates: ['garbage'] })).rejects.toThrow(TypeError);
  });

  it('a signature check comes before the user: a bad key for an unknown user is still invalid assertion', async () => {
    const org = await start();
    const other = makeKeyAndCert();
    expect((await postToken(org, assertionFor(org, { sub: 'nobody@example.com' }, { key: other.privateKeyPem }))).text).toBe(INVALID_ASSERTION);
  });

  it('aud on production: My Domain and login.salesforce.com pass, test.salesforce.com does not', async () => {
    const org = await start();
    for (const aud of [org.url, `${org.url}/`, 'https://login.salesforce.com', [org.url]]) {
      expect((await postToken(org, assertionFor(org, { aud }))).status).toBe(200);
    }
    for (const aud of ['https://test.salesforce.com', 'https://acme.my.salesforce.com', org.url.replace('127.0.0.1', 'localhost'), undefined, 42]) {
      expect((await postToken(org, assertionFor(org, { aud }))).text).toBe(body('invalid_grant', 'audience is invalid'));
    }
  });

  it('aud on a sandbox: test.salesforce.com passes, login.salesforce.com does not', async () => {
    const org = await start({ sandbox: true });
    expect((await postToken(org, assertionFor(org, { aud: 'https://test.salesforce.com' }))).status).toBe(200);
    expect((await postToken(org, assertionFor(org, { aud: org.url }))).status).toBe(200);
    expect((await postToken(org, assertionFor(org, { aud: 'https://login.salesforce.com' }))).json.error_description).toBe('audience is invalid');
  });

  it('an External Client App needs its My Domain as aud', async () => {
    const org = await start({ appType: 'external_client_app' });
    expect((await postToken(org, assertionFor(org, { aud: 'https://login.salesforce.com' }))).text).toBe(body('invalid_grant', 'External client app is not installed in this org'));
    expect((await postToken(org, assertionFor(org))).status).toBe(200);
  });

  it('exp in milliseconds (as the Salesforce CLI sends) is accepted: no upper bound', async () => {
    const org = await start();
    expect((await postToken(org, assertionFor(org, { exp: Date.now() + 300 }))).status).toBe(200);
    expect((await postToken(org, assertionFor(org, { exp: Math.floor(Date.now() / 1000) + 86_400 * 365 }))).status).toBe(200);
  });

  it.each([
    ['in the past', () => Math.floor(Date.now() / 1000) - 5],
    ['missing', () => undefined],
    ['a string', () => String(Math.floor(Date.now() / 1000) + 180)],
  ])('exp %s -> expired authorization code', async (_label, exp) => {
    const org = await start();
    expect((await postToken(org, assertionFor(org, { exp: exp() }))).text).toBe(body('invalid_grant', 'expired authorization code'));
  });

  it('expiry is checked before the user exists', async () => {
    const org = await start();
    const answer = await postToken(org, assertionFor(org, { sub: 'nobody@example.com', exp: 1 }));
    expect(answer.json.error_description).toBe('expired authorization code');
  });

  it('an unknown user is answered like an unapproved one', async () => {
    const org = await start();
    for (const sub of ['nobody@example.com', `${org.username}.uat`, undefined]) {
      expect((await postToken(org, assertionFor(org, { sub }))).text).toBe(body('invalid_grant', "user hasn't approved this consumer"));
    }
  });

  it('a frozen user -> inactive_user', async () => {
    const org = await start();
    org.state.users[0].frozen = true;
    expect((await postToken(org, assertionFor(org))).text).toBe(body('inactive_user', 'user is inactive'));
  });

  it('an inactive user is reported before app access, IP and scope problems', async () => {
    const org = await start();
    org.state.users[0].active = false;
    org.state.apps[0].preAuthorizedProfiles = [];
    org.state.users[0].profile.loginIpRanges = [{ start: '10.0.0.1', end: '10.0.0.1' }];
    org.state.apps[0].scopes = ['api'];
    expect((await postToken(org, assertionFor(org))).json.error).toBe('inactive_user');
  });

  it('a locked org is reported after the user checks', async () => {
    const org = await start();
    org.state.org.active = false;
    org.state.users[0].frozen = true;
    expect((await postToken(org, assertionFor(org))).json.error).toBe('inactive_user');
    org.state.users[0].frozen = false;
    expect((await postToken(org, assertionFor(org))).json.error).toBe('inactive_org');
  });

  it('offline_access alone satisfies the refresh_token scope rule', async () => {
    const org = await start();
    org.state.apps[0].scopes = ['api', 'offline_access'];
    const answer = await postToken(org, assertionFor(org));
    expect(answer.status).toBe(200);
    expect(answer.json.scope).toBe('api offline_access');
  });

  it('makeKeyAndCert gives a PKCS#1 key on request, and a certificate node:crypto reads', () => {
    const pair = makeKeyAndCert({ keyFormat: 'pkcs1', days: 30 });
    expect(pair.privateKeyPem).toContain('BEGIN RSA PRIVATE KEY');
    const certificate = new X509Certificate(pair.certificatePem);
    expect(certificate.checkPrivateKey(createPrivateKey(pair.privateKeyPem))).toBe(true);
    expect(certificate.subject).toBe('CN=sf-setup test');
  });
});
