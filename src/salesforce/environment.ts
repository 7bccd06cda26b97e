import { classifyTokenHost } from '../config/hosts.js';

/**
 * Sandbox or production, judged from the token host and the username. Sandbox usernames are the
 * production username plus `.sandboxname` (user@example.com.uat), and log in through test.salesforce.com
 * or the sandbox My Domain (`NAME--SANDBOX.sandbox.my.salesforce.com`).
 */

// Second-level labels that end a normal email domain; a label after them is a sandbox suffix.
const COMMON_TLDS = new Set([
  'com', 'org', 'net', 'edu', 'gov', 'io', 'co', 'biz', 'info', 'us', 'uk', 'de', 'fr', 'nl', 'eu', 'ca', 'au', 'in', 'jp', 'br', 'es', 'it', 'ch', 'se', 'no', 'dk', 'fi', 'be', 'at', 'ie', 'nz', 'sg', 'mx', 'ai', 'app', 'dev', 'cloud', 'tech',
]);

// Labels that come before a country code in a registrable domain (co.uk, com.au, org.uk, ac.jp).
const SECOND_LEVEL = new Set(['co', 'com', 'org', 'net', 'gov', 'edu', 'ac']);

/** The sandbox suffix of a username ("uat" for user@example.com.uat), or undefined. */
export function sandboxSuffix(username: string): string | undefined {
  const at = username.lastIndexOf('@');
  if (at < 0) return undefined;
  const labels = username.slice(at + 1).toLowerCase().split('.');
  if (labels.length < 3) return undefined;
  const last = labels[labels.length - 1];
  const beforeLast = labels[labels.length - 2];
  // acme.co.uk, acme.com.au: a country code after a second-level label ends the domain, it is no sandbox.
  // (Sandbox names that are also country codes, like "qa", stay suffixes: only the codes listed above count.)
  if (SECOND_LEVEL.has(beforeLast) && last.length === 2 && COMMON_TLDS.has(last)) return undefined;
  return COMMON_TLDS.has(beforeLast) ? last : undefined;
}

/**
 * The callback URL the app's OAuth settings hold: the form requires one, the JWT Bearer Flow never uses it,
 * and the one-time authorize URL (user_not_approved) must name it.
 */
export const CALLBACK_URL = 'https://login.salesforce.com/services/oauth2/callback';

export type HostEnvironment = 'production' | 'sandbox' | 'unknown';

/** What kind of org a token URL logs in to, as far as the host tells. */
export function tokenHostEnvironment(tokenUrl: string): HostEnvironment {
  const kind = classifyTokenHost(tokenUrl);
  if (kind === 'production') return 'production';
  if (kind === 'sandbox') return 'sandbox';
  // A sandbox's My Domain: NAME--SANDBOX.sandbox.my.salesforce.com (or the older NAME--SANDBOX.my.salesforce.com).
  const host = kind === 'mydomain' ? new URL(tokenUrl).hostname.toLowerCase() : '';
  if (host.endsWith('.sandbox.my.salesforce.com') || /--[a-z0-9]+\.my\.salesforce\.com$/.test(host)) return 'sandbox';
  // A production org's My Domain is NAME.my.salesforce.com, a Developer Edition's NAME.develop.my.salesforce.com
  // (both log in like login.salesforce.com). Other forms (scratch, demo, patch orgs, other clouds) stay unknown.
  return /^[a-z0-9-]+(?:\.develop)?\.my\.salesforce\.com$/.test(host) && !host.includes('--') ? 'production' : 'unknown';
}

/** A one-line description of a sandbox/production mix-up, or null when the two agree (or cannot be told). */
export function environmentMismatch(tokenUrl: string, username: string): string | null {
  const environment = tokenHostEnvironment(tokenUrl);
  const suffix = sandboxSuffix(username);
  if (environment === 'production' && suffix) {
    return `the username ends in ".${suffix}" like a sandbox username, but the token URL is production (${new URL(tokenUrl).host})`;
  }
  if (environment === 'sandbox' && !suffix) {
    return `the token URL is a sandbox host, but the username has no .sandboxname suffix (sandbox usernames look like user@example.com.uat)`;
  }
  return null;
}

/**
 * A one-line description of an `aud` that does not fit the token URL, or null when it fits (or cannot be
 * told). Salesforce answers such a request "audience is invalid". login/test.salesforce.com as `aud` fit any
 * token host of the same kind (a production My Domain accepts https://login.salesforce.com); any other
 * `aud` must be the token URL's own origin.
 */
export function audienceMismatch(tokenUrl: string, audience: string): string | null {
  let tokenOrigin: string;
  let audienceOrigin: string;
  try {
    tokenOrigin = new URL(tokenUrl).origin;
    audienceOrigin = new URL(audience).origin;
  } catch {
    return null; // validation reports unreadable URLs
  }
  if (tokenOrigin === audienceOrigin) return null;
  const audienceKind = classifyTokenHost(audience);
  if (audienceKind === 'production' || audienceKind === 'sandbox') {
    const tokenEnvironment = tokenHostEnvironment(tokenUrl);
    const audienceEnv = tokenHostEnvironment(audience);
    if (tokenEnvironment !== 'unknown' && tokenEnvironment !== audienceEnv) {
      return `the audience ${audienceOrigin} is for ${audienceEnv === 'sandbox' ? 'sandboxes' : 'production'}, but the token URL (${new URL(tokenUrl).host}) is ${tokenEnvironment === 'sandbox' ? 'a sandbox' : 'production'}`;
    }
    return null;
  }
  return `the audience ${audienceOrigin} is another host than the token URL's (${tokenOrigin})`;
}

/** True for the login hosts that are not an instance. */
export function isLoginHost(url: string): boolean {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host === 'login.salesforce.com' || host === 'test.salesforce.com';
  } catch {
    return false;
  }
}
