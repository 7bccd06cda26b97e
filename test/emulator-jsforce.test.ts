/**
 * A real Salesforce client (jsforce 3.6.6) against the emulated org: if jsforce accepts the emulator's
 * answers and surfaces its errors as it would Salesforce's, the emulator's wire format is right.
 */
import jsforce from 'jsforce';
import { describe, expect, it } from 'vitest';
import { JWT_BEARER_GRANT } from '../src/emulator/index.js';
import { signAssertion } from './helpers/certs.js';
import { assertionFor, sharedKey, useEmulators } from './helpers/emulator.js';

const start = useEmulators();

describe('jsforce against the emulated org', () => {
  it('authorizes with the JWT bearer grant, then queries and reads the identity', async () => {
    const org = await start();
    const conn = new jsforce.Connection({ loginUrl: org.url, version: '59.0' });
    const userInfo = await conn.authorize({ grant_type: JWT_BEARER_GRANT, assertion: assertionFor(org) });
    expect(userInfo).toMatchObject({ id: org.state.users[0].userId, organizationId: org.state.org.orgId });
    expect(conn.instanceUrl).toBe(org.url);
    expect(conn.accessToken).toMatch(/^00D/);

    const result = await conn.query<{ Id: string; Name: string }>('SELECT Id, Name FROM Organization');
    expect(result.totalSize).toBe(1);
    expect(result.records[0]).toMatchObject({ Id: org.state.org.orgId, Name: 'Emulated Org' });

    const identity = await conn.identity();
    expect(identity).toMatchObject({ username: org.username, organization_id: org.state.org.orgId, user_id: org.state.users[0].userId });
  });

  it('surfaces user_not_approved as "invalid_grant: user hasn\'t approved this consumer"', async () => {
    const org = await start({ scenario: 'user_not_approved' });
    const conn = new jsforce.Connection({ loginUrl: org.url });
    const error = await conn.authorize({ grant_type: JWT_BEARER_GRANT, assertion: assertionFor(org) }).then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    expect(error).toBeInstanceOf(Error);
    // jsforce puts `error` in name and `error_description` in message; String(error) joins them.
    expect(error?.name).toBe('invalid_grant');
    expect(error?.message).toBe("user hasn't approved this consumer");
    expect(String(error)).toBe("invalid_grant: user hasn't approved this consumer");
  });

  it('accepts an assertion signed as the Salesforce CLI signs it (exp = Date.now() + 300, in milliseconds)', async () => {
    const org = await start();
    // sfdx-core: { iss, sub, aud, exp: Date.now() + 300 } — milliseconds, which Salesforce tolerates.
    const assertion = signAssertion(sharedKey().privateKeyPem, { iss: org.clientId, sub: org.username, aud: 'https://login.salesforce.com', exp: Date.now() + 300 });
    const conn = new jsforce.Connection({ loginUrl: org.url });
    await conn.authorize({ grant_type: JWT_BEARER_GRANT, assertion });
    const versions = await conn.request<{ version: string }[]>('/services/data/');
    expect(versions.at(-1)?.version).toBe('66.0');
    expect(org.requests[0].claims?.exp).toBeGreaterThan(1e12);
  });

  it('surfaces the maintenance page as an HTTP error, not a crash', async () => {
    const org = await start({ scenario: 'maintenance' });
    const conn = new jsforce.Connection({ loginUrl: org.url });
    const error = await conn.authorize({ grant_type: JWT_BEARER_GRANT, assertion: assertionFor(org) }).then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    expect(error?.name).toBe('ERROR_HTTP_503');
    expect(error?.message).toContain('Maintenance');
  });
});
