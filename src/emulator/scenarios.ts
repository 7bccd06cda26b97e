import { selfSignedCertificate } from './self-signed.js';
import { orgNow } from './state.js';
import type { OrgState, ScenarioName } from './types.js';

/** What a client doing everything right (exp = now + 180 s, aud = the org's url) gets from a scenario. */
export type ScenarioExpectation =
  | { status: number; error?: string; errorDescription?: string }
  | { html: true; status: number }
  | { slowMs: number };

export interface ScenarioInfo {
  description: string;
  expect: ScenarioExpectation;
}

const grant = (errorDescription: string) => ({ status: 400, error: 'invalid_grant', errorDescription });

/**
 * Every scenario, with the answer a well-behaved client gets. The error strings are Salesforce's, from
 * the facts sheet (/work/shared/reference/salesforce-jwt-facts.md).
 */
export const SCENARIOS: Record<ScenarioName, ScenarioInfo> = {
  ok: { description: 'Everything set up right: a token is issued', expect: { status: 200 } },
  user_not_approved: {
    description: 'Permitted Users is "All users may self-authorize" and the user never approved the app',
    expect: grant("user hasn't approved this consumer"),
  },
  key_mismatch: {
    description: 'The certificate uploaded to the app belongs to another key',
    expect: grant('invalid assertion'),
  },
  invalid_client_id: {
    description: "The app's Consumer Key is not the one the client uses",
    expect: { status: 400, error: 'invalid_client_id', errorDescription: 'client identifier invalid' },
  },
  audience_invalid: {
    description: 'The org is a sandbox with another My Domain: only https://test.salesforce.com (or that My Domain) is a valid aud',
    expect: grant('audience is invalid'),
  },
  ip_restricted: {
    description: "The user's profile Login IP Ranges exclude 127.0.0.1",
    expect: grant('ip restricted'),
  },
  login_hours: {
    description: "The user's profile Login Hours exclude the current hour",
    expect: grant('ip restricted'),
  },
  user_inactive: {
    description: 'The user is deactivated',
    expect: { status: 400, error: 'inactive_user', errorDescription: 'user is inactive' },
  },
  org_inactive: {
    description: 'The org is locked, closed or suspended (e.g. an expired trial or scratch org)',
    expect: { status: 400, error: 'inactive_org', errorDescription: 'organization is locked, closed, or suspended' },
  },
  not_assigned: {
    description: "Admin approved app, but the user's profile and permission sets are not assigned to it",
    expect: { status: 400, error: 'invalid_app_access', errorDescription: 'user is not admin approved to access this app' },
  },
  scope_missing: {
    description: 'The app lacks the "refresh_token, offline_access" scope',
    expect: {
      status: 400,
      error: 'invalid_request',
      errorDescription: 'refresh_token scope is required and the connected app should be installed and preauthorized',
    },
  },
  rate_limited: {
    description: 'The user already logged in 3,600 times this hour',
    expect: { status: 400, error: 'rate_limit_exceeded', errorDescription: 'number of logins exceeded' },
  },
  maintenance: { description: 'The org is down for maintenance: an HTML page with 503', expect: { html: true, status: 503 } },
  slow: { description: 'The org answers after a long delay (slowMs, default 5 s)', expect: { slowMs: 5000 } },
  clock_ahead: {
    description: "The org's clock is 10 minutes ahead of this machine: exp = now + 180 s is already past",
    expect: grant('expired authorization code'),
  },
  api_disabled: {
    description: 'The user\'s profile lacks "API Enabled": Salesforce\'s generic "authentication failure"',
    expect: grant('authentication failure'),
  },
  unsupported_grant_type: {
    description: 'Something on the way (an http -> https redirect, a proxy) turns the form POST into a GET without its body',
    expect: { status: 400, error: 'unsupported_grant_type', errorDescription: 'grant type not supported' },
  },
};

/** The audience_invalid preset's My Domain: a sandbox the client's url does not name. */
export const OTHER_SANDBOX_MY_DOMAIN = 'https://acme--uat.sandbox.my.salesforce.com';

/** 203.0.113.0/24 is TEST-NET-3 (RFC 5737): never the loopback a test calls from. */
export const FOREIGN_IP_RANGE = { start: '203.0.113.0', end: '203.0.113.255' };

let otherCertificate: string | undefined;

/** A certificate for a key nobody has (generated once per process: RSA generation costs ~0.2 s). */
function unrelatedCertificate(): string {
  otherCertificate ??= selfSignedCertificate('Someone Else').certificatePem;
  return otherCertificate;
}

/**
 * Break a healthy state the way the scenario's real misconfiguration would. Mutates `state`; expects it
 * fresh from healthyState() (with the app's certificates in place).
 */
export function applyPreset(state: OrgState, name: ScenarioName): void {
  const app = state.apps[0];
  const user = state.users[0];
  switch (name) {
    case 'ok':
      return;
    case 'user_not_approved':
      app.permittedUsers = 'self_authorize';
      user.approvedApps = [];
      return;
    case 'key_mismatch':
      app.certificates = [unrelatedCertificate()];
      return;
    case 'invalid_client_id':
      // Same shape, another app: as when the key was copied from a different org or app.
      app.clientId = `${app.clientId.slice(0, -6)}Xq9.Wz`;
      return;
    case 'audience_invalid':
      // The emulator's url stands for a host the client reached, but the org behind it is a sandbox whose
      // My Domain is another origin, so an aud naming the url (or login.salesforce.com) is refused; only
      // https://test.salesforce.com or that My Domain pass. This is the real sandbox-vs-production mistake.
      state.org.sandbox = true;
      state.org.myDomain = OTHER_SANDBOX_MY_DOMAIN;
      return;
    case 'ip_restricted':
      user.profile.loginIpRanges = [{ ...FOREIGN_IP_RANGE }];
      return;
    case 'login_hours': {
      const hour = new Date(orgNow(state)).getUTCHours();
      // Two hours from now for one hour: excludes the current hour and the next, so no flake at :59.
      user.profile.loginHours = { startHour: (hour + 2) % 24, endHour: (hour + 3) % 24 };
      return;
    }
    case 'user_inactive':
      user.active = false;
      return;
    case 'org_inactive':
      state.org.active = false;
      return;
    case 'not_assigned':
      app.preAuthorizedProfiles = [];
      app.preAuthorizedPermissionSets = [];
      return;
    case 'scope_missing':
      app.scopes = app.scopes.filter((scope) => scope !== 'refresh_token' && scope !== 'offline_access');
      return;
    case 'rate_limited':
      state.loginCounter[user.username.toLowerCase()] = { windowStart: orgNow(state), count: state.org.loginsPerHour };
      return;
    case 'maintenance':
      state.fault = 'maintenance';
      return;
    case 'slow':
      state.fault = 'slow';
      return;
    case 'clock_ahead':
      state.clockOffsetMs = 10 * 60_000;
      return;
    case 'api_disabled':
      user.profile.apiEnabled = false;
      return;
    case 'unsupported_grant_type':
      state.fault = 'form_dropped';
      return;
  }
}
