import { describe, expect, it } from 'vitest';
import type { EmulatedOrg } from '../src/emulator/index.js';
import { postToken, assertionFor, tokenFor, useEmulators } from './helpers/emulator.js';

const start = useEmulators();

const INVALID_SESSION = JSON.stringify([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
const NOT_FOUND = JSON.stringify([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);

async function get(org: EmulatedOrg, path: string, token?: string, scheme = 'Bearer') {
  const response = await fetch(`${org.url}${path}`, { headers: token ? { authorization: `${scheme} ${token}` } : {} });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) as unknown, headers: response.headers };
}

const soql = (q: string) => `/services/data/v59.0/query?q=${encodeURIComponent(q)}`;

describe('REST with and without a token', () => {
  it('GET /services/data/ lists versions without a token, oldest first, labelled by release', async () => {
    const org = await start();
    const answer = await get(org, '/services/data/');
    expect(answer.status).toBe(200);
    const list = answer.json as { label: string; url: string; version: string }[];
    expect(list[0]).toEqual({ label: "Summer '14", url: '/services/data/v31.0', version: '31.0' });
    expect(list.at(-1)).toEqual({ label: "Spring '26", url: '/services/data/v66.0', version: '66.0' });
    expect(list.find((v) => v.version === '59.0')?.label).toBe("Winter '24");
    expect((await get(org, '/services/data')).status).toBe(200);
  });

  it('userinfo: 401 INVALID_SESSION_ID without or with an unknown token, the user with a real one', async () => {
    const org = await start();
    for (const token of [undefined, '00Dxx!AQnotatoken']) {
      const answer = await get(org, '/services/oauth2/userinfo', token);
      expect(answer.status).toBe(401);
      expect(answer.text).toBe(INVALID_SESSION);
    }
    const answer = await get(org, '/services/oauth2/userinfo', await tokenFor(org));
    expect(answer.status).toBe(200);
    const { orgId } = org.state.org;
    const { userId } = org.state.users[0];
    expect(answer.json).toMatchObject({
      sub: `${org.url}/id/${orgId}/${userId}`,
      user_id: userId,
      organization_id: orgId,
      preferred_username: org.username,
      email: 'demo@example.com',
      name: 'Demo User',
    });
  });

  it('the identity URL from the token answer works, with Authorization or ?oauth_token=', async () => {
    const org = await start();
    const token = await tokenFor(org);
    const id = (await postToken(org, assertionFor(org))).json.id as string;
    const path = new URL(id).pathname;
    expect((await get(org, path, token)).json).toMatchObject({ id, username: org.username, organization_id: org.state.org.orgId });
    expect((await get(org, `${path}?format=json&oauth_token=${encodeURIComponent(token)}`)).status).toBe(200);
    expect((await get(org, `/id/${org.state.org.orgId}/005000000000000AAA`, token)).text).toBe(NOT_FOUND);
    expect((await get(org, path)).status).toBe(401);
  });

  it('GET /services/data/vNN.0/ needs a token and a supported version', async () => {
    const org = await start();
    const token = await tokenFor(org);
    expect((await get(org, '/services/data/v59.0/')).text).toBe(INVALID_SESSION);
    const resources = (await get(org, '/services/data/v59.0/', token)).json as Record<string, string>;
    expect(resources.query).toBe('/services/data/v59.0/query');
    expect(resources.sobjects).toBe('/services/data/v59.0/sobjects');
    for (const version of ['v999.0', 'v30.0']) {
      const answer = await get(org, `/services/data/${version}/`, token);
      expect(answer.status).toBe(404);
      expect(answer.text).toBe(NOT_FOUND);
    }
  });

  it('accepts the older "OAuth" authorization scheme too', async () => {
    const org = await start();
    expect((await get(org, '/services/data/v59.0/', await tokenFor(org), 'OAuth')).status).toBe(200);
  });

  it('anything else: 404 NOT_FOUND with a token, 401 without', async () => {
    const org = await start();
    const token = await tokenFor(org);
    for (const path of ['/', '/services/data/v59.0/sobjects/Account', '/services/apexrest/x', '/nothing?x=1']) {
      expect((await get(org, path, token)).text).toBe(NOT_FOUND);
      expect((await get(org, path)).status).toBe(401);
    }
  });

  it('a token issued without the api scope: REST 401, userinfo still works', async () => {
    const org = await start();
    org.state.apps[0].scopes = ['refresh_token', 'openid'];
    const answer = await postToken(org, assertionFor(org));
    expect(answer.json.scope).toBe('refresh_token openid');
    const token = answer.json.access_token as string;
    expect((await get(org, soql('SELECT Id FROM Organization'), token)).text).toBe(INVALID_SESSION);
    expect((await get(org, '/services/data/v59.0/', token)).status).toBe(401);
    expect((await get(org, '/services/oauth2/userinfo', token)).status).toBe(200);
  });
});

describe('SOQL', () => {
  it('SELECT … FROM Organization', async () => {
    const org = await start();
    const answer = await get(org, soql('SELECT Id, Name, IsSandbox, OrganizationType FROM Organization'), await tokenFor(org));
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      totalSize: 1,
      done: true,
      records: [
        {
          attributes: { type: 'Organization', url: `/services/data/v59.0/sobjects/Organization/${org.state.org.orgId}` },
          Id: org.state.org.orgId,
          Name: 'Emulated Org',
          IsSandbox: false,
          OrganizationType: 'Developer Edition',
        },
      ],
    });
  });

  it('field names are case-insensitive and answered in Salesforce casing; a sandbox says IsSandbox true', async () => {
    const org = await start({ sandbox: true });
    const token = (await postToken(org, assertionFor(org, { aud: 'https://test.salesforce.com' }))).json.access_token as string;
    const answer = await get(org, soql('select name, issandbox from organization limit 1'), token);
    expect((answer.json as { records: Record<string, unknown>[] }).records[0]).toMatchObject({ Name: 'Emulated Org (sandbox)', IsSandbox: true });
  });

  it('SELECT … FROM User WHERE Username = …, with Profile.Name nested', async () => {
    const org = await start();
    const token = await tokenFor(org);
    const answer = await get(org, soql(`SELECT Id, Username, Name, Profile.Name, IsActive FROM User WHERE Username = '${org.username.toUpperCase()}'`), token);
    const records = (answer.json as { records: Record<string, unknown>[] }).records;
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      Id: org.state.users[0].userId,
      Username: org.username,
      Name: 'Demo User',
      IsActive: true,
      Profile: { attributes: { type: 'Profile' }, Name: 'Minimum Access - API Only Integrations' },
    });
    const none = await get(org, soql("SELECT Id FROM User WHERE Username = 'nobody@example.com'"), token);
    expect(none.json).toEqual({ totalSize: 0, done: true, records: [] });
  });

  it.each([
    ['SELECT Foo FROM Organization', 400, 'INVALID_FIELD'],
    ['SELECT Id FROM Account', 400, 'INVALID_TYPE'],
    ['DELETE everything', 400, 'MALFORMED_QUERY'],
    ['', 400, 'MALFORMED_QUERY'],
  ])('%j -> %i %s', async (q, status, errorCode) => {
    const org = await start();
    const answer = await get(org, soql(q), await tokenFor(org));
    expect(answer.status).toBe(status);
    expect((answer.json as { errorCode: string }[])[0].errorCode).toBe(errorCode);
  });
});
