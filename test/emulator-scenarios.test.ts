import { describe, expect, it } from 'vitest';
import { OTHER_SANDBOX_MY_DOMAIN, SCENARIOS, type ScenarioName } from '../src/emulator/index.js';
import { assertionFor, postToken, sharedKey, useEmulators } from './helpers/emulator.js';

const start = useEmulators();

/** Salesforce's exact answers (facts sheet), written out rather than read from SCENARIOS. */
const FAILURES: [ScenarioName, string, string][] = [
  ['user_not_approved', 'invalid_grant', "user hasn't approved this consumer"],
  ['key_mismatch', 'invalid_grant', 'invalid assertion'],
  ['invalid_client_id', 'invalid_client_id', 'client identifier invalid'],
  ['audience_invalid', 'invalid_grant', 'audience is invalid'],
  ['ip_restricted', 'invalid_grant', 'ip restricted'],
  ['login_hours', 'invalid_grant', 'ip restricted'],
  ['user_inactive', 'inactive_user', 'user is inactive'],
  ['org_inactive', 'inactive_org', 'organization is locked, closed, or suspended'],
  ['not_assigned', 'invalid_app_access', 'user is not admin approved to access this app'],
  ['scope_missing', 'invalid_request', 'refresh_token scope is required and the connected app should be installed and preauthorized'],
  ['rate_limited', 'rate_limit_exceeded', 'number of logins exceeded'],
  ['clock_ahead', 'invalid_grant', 'expired authorization code'],
  ['api_disabled', 'invalid_grant', 'authentication failure'],
  ['unsupported_grant_type', 'unsupported_grant_type', 'grant type not supported'],
];

describe('emulator scenarios: a careful client against each preset', () => {
  it('ok issues a token', async () => {
    const org = await start({ scenario: 'ok' });
    const answer = await postToken(org, assertionFor(org));
    expect(answer.status).toBe(200);
    expect(answer.json.token_type).toBe('Bearer');
    expect(SCENARIOS.ok.expect).toEqual({ status: 200 });
  });

  it.each(FAILURES)('%s -> 400 %s / %s, exact body', async (scenario, error, description) => {
    const org = await start({ scenario });
    const answer = await postToken(org, assertionFor(org));
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(answer.text).toBe(JSON.stringify({ error, error_description: description }));
    expect(SCENARIOS[scenario].expect).toEqual({ status: 400, error, errorDescription: description });
  });

  it('maintenance -> 503 HTML page, not JSON', async () => {
    const org = await start({ scenario: 'maintenance' });
    const answer = await postToken(org, assertionFor(org));
    expect(answer.status).toBe(503);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answer.text).toMatch(/Maintenance/);
    expect(answer.text).toMatch(/Data Not Available/);
    expect(() => JSON.parse(answer.text)).toThrow();
    expect(SCENARIOS.maintenance.expect).toMatchObject({ html: true });
  });

  it('slow answers after slowMs, then normally', async () => {
    const org = await start({ scenario: 'slow', slowMs: 400 });
    const started = Date.now();
    const answer = await postToken(org, assertionFor(org));
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    expect(answer.status).toBe(200);
    expect(SCENARIOS.slow.expect).toEqual({ slowMs: 5000 });
  });

  it('every scenario has a description and is listed once', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(
      ['ok', 'user_not_approved', 'key_mismatch', 'invalid_client_id', 'audience_invalid', 'ip_restricted', 'login_hours', 'user_inactive', 'org_inactive', 'not_assigned', 'scope_missing', 'rate_limited', 'maintenance', 'slow', 'clock_ahead', 'api_disabled', 'unsupported_grant_type'].sort(),
    );
    for (const info of Object.values(SCENARIOS)) expect(info.description.length).toBeGreaterThan(10);
  });
});

describe('how the presets are built from state', () => {
  it('audience_invalid: a sandbox with another My Domain accepts test.salesforce.com and that My Domain only', async () => {
    const org = await start({ scenario: 'audience_invalid' });
    expect(org.state.org.sandbox).toBe(true);
    expect(org.state.org.myDomain).toBe(OTHER_SANDBOX_MY_DOMAIN);
    for (const aud of [org.url, 'https://login.salesforce.com']) {
      expect((await postToken(org, assertionFor(org, { aud }))).json.error_description).toBe('audience is invalid');
    }
    for (const aud of ['https://test.salesforce.com', OTHER_SANDBOX_MY_DOMAIN]) {
      expect((await postToken(org, assertionFor(org, { aud }))).status).toBe(200);
    }
  });

  it('clock_ahead: the Date header runs 10 minutes ahead, and an exp by the org clock passes', async () => {
    const org = await start({ scenario: 'clock_ahead' });
    const answer = await postToken(org, assertionFor(org));
    const skew = Date.parse(answer.headers.get('date') ?? '') - Date.now();
    expect(skew).toBeGreaterThan(9 * 60_000);
    expect(skew).toBeLessThan(11 * 60_000);
    const byOrgClock = Math.floor((Date.now() + org.state.clockOffsetMs) / 1000) + 180;
    expect((await postToken(org, assertionFor(org, { exp: byOrgClock }))).status).toBe(200);
  });

  it('user_not_approved: approving the app (self-authorize) fixes it', async () => {
    const org = await start({ scenario: 'user_not_approved' });
    expect(org.state.apps[0].permittedUsers).toBe('self_authorize');
    org.state.users[0].approvedApps.push(org.state.apps[0].clientId);
    expect((await postToken(org, assertionFor(org))).status).toBe(200);
  });

  it('not_assigned: pre-authorizing a permission set of the user fixes it', async () => {
    const org = await start({ scenario: 'not_assigned' });
    org.state.apps[0].preAuthorizedPermissionSets.push(org.state.users[0].permissionSets[0]);
    expect((await postToken(org, assertionFor(org))).status).toBe(200);
  });

  it('ip_restricted: adding 127.0.0.1 as a Login IP Range fixes it', async () => {
    const org = await start({ scenario: 'ip_restricted' });
    org.state.users[0].profile.loginIpRanges.push({ start: '127.0.0.1', end: '127.0.0.1' });
    expect((await postToken(org, assertionFor(org))).status).toBe(200);
  });

  it('login_hours: a window around now fixes it', async () => {
    const org = await start({ scenario: 'login_hours' });
    org.state.users[0].profile.loginHours = { startHour: 0, endHour: 0 };
    expect((await postToken(org, assertionFor(org))).status).toBe(400); // an empty window allows nothing
    const hour = new Date().getUTCHours();
    org.state.users[0].profile.loginHours = { startHour: hour, endHour: (hour + 2) % 24 };
    expect((await postToken(org, assertionFor(org))).status).toBe(200);
  });

  it('invalid_client_id: the app key differs from the one the client was told', async () => {
    const org = await start({ scenario: 'invalid_client_id' });
    expect(org.state.apps[0].clientId).not.toBe(org.clientId);
    expect(org.state.apps[0].clientId).toHaveLength(org.clientId.length);
    expect((await postToken(org, assertionFor(org, { iss: org.state.apps[0].clientId }))).status).toBe(200);
  });

  it('key_mismatch: uploading the right certificate again fixes it', async () => {
    const org = await start({ scenario: 'key_mismatch' });
    org.uploadCertificate(sharedKey().certificatePem);
    expect((await postToken(org, assertionFor(org))).status).toBe(200);
  });

  it('rate_limited pre-fills the counter; the limit is per user', async () => {
    const org = await start({ scenario: 'rate_limited' });
    expect(org.state.loginCounter[org.username.toLowerCase()].count).toBe(3600);
    org.state.loginCounter = {};
    expect((await postToken(org, assertionFor(org))).status).toBe(200);
    expect(org.state.loginCounter[org.username.toLowerCase()].count).toBe(1);
  });

  it('the 3,600th login passes and the 3,601st is refused', async () => {
    const org = await start();
    org.state.loginCounter[org.username] = { windowStart: Date.now(), count: 3599 };
    expect((await postToken(org, assertionFor(org))).status).toBe(200);
    expect((await postToken(org, assertionFor(org))).json.error).toBe('rate_limit_exceeded');
    // An hour later the window starts again.
    org.state.loginCounter[org.username].windowStart -= 3_600_000;
    expect((await postToken(org, assertionFor(org))).status).toBe(200);
  });

  it('applyScenario resets to ok first and keeps the uploaded certificate', async () => {
    const org = await start({ scenario: 'org_inactive' });
    org.applyScenario('user_inactive');
    expect(org.state.org.active).toBe(true);
    expect((await postToken(org, assertionFor(org))).json.error).toBe('inactive_user');
    org.applyScenario('key_mismatch');
    org.applyScenario('ok');
    expect((await postToken(org, assertionFor(org))).status).toBe(200);
    expect(() => org.applyScenario('nope' as ScenarioName)).toThrow(/unknown scenario/);
  });
});
