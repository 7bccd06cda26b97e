import { createHmac } from 'node:crypto';
import { appAccess, insideIpRanges, withinLoginHours } from './access.js';
import { newAccessToken } from './ids.js';
import { decodeAssertion, signatureMatches } from './jwt-verify.js';
import { jsonReply, oauthError, type Reply } from './reply.js';
import { findUser, orgNow } from './state.js';
import { tokenPrefix, type TokenStore } from './tokens.js';
import type { AppState, LoggedClaims, OrgState } from './types.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const LOGIN = 'https://login.salesforce.com';
const TEST = 'https://test.salesforce.com';
const HOUR_MS = 3_600_000;

export interface TokenRequest {
  method: string;
  contentType: string | undefined;
  body: string;
  /** Normalized caller address, checked against profile Login IP Ranges. */
  remoteAddress: string;
}

export interface TokenContext {
  state: OrgState;
  tokens: TokenStore;
  /** Key of the response's `signature` HMAC (Salesforce uses the app's client secret). */
  signingSecret: string;
}

function audiences(claim: unknown): string[] {
  const list = Array.isArray(claim) ? claim : [claim];
  // Tolerate one trailing slash ('https://login.salesforce.com/'): not documented either way (confidence low).
  return list.filter((item): item is string => typeof item === 'string').map((item) => item.replace(/\/$/, ''));
}

function acceptedAudiences(state: OrgState): string[] {
  return [state.org.myDomain.replace(/\/$/, ''), state.org.sandbox ? TEST : LOGIN];
}

/**
 * POST /services/oauth2/token for the JWT Bearer Flow, checked in the order Salesforce appears to check
 * (a malformed or badly signed assertion never reveals whether the user exists). Errors are HTTP 400 with
 * Salesforce's exact strings (facts sheet).
 */
export function tokenEndpoint(request: TokenRequest, context: TokenContext): Reply {
  const { state } = context;
  // Salesforce answers every transport mistake (GET, JSON body, other grant) with the same line.
  const unsupported = () => oauthError('unsupported_grant_type', 'grant type not supported');
  if (request.method !== 'POST') return unsupported();
  const mediaType = (request.contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType !== 'application/x-www-form-urlencoded') return unsupported();
  const params = new URLSearchParams(request.body);
  if (params.get('grant_type') !== JWT_BEARER_GRANT) return unsupported();

  const decoded = decodeAssertion(params.get('assertion') ?? '');
  if (!decoded) return oauthError('invalid_grant', 'invalid assertion');
  const { iss, sub, aud, exp } = decoded.claims;
  const log: Reply['log'] = { claims: { iss, sub, aud, exp } satisfies LoggedClaims };

  // A Consumer Key with stray whitespace is a different key: exact match, as Salesforce does.
  const app: AppState | undefined = state.apps.find((candidate) => candidate.clientId === iss);
  if (!app) return oauthError('invalid_client_id', 'client identifier invalid', log);
  if (!signatureMatches(decoded, app.certificates)) return oauthError('invalid_grant', 'invalid assertion', log);

  const audList = audiences(aud);
  const accepted = acceptedAudiences(state);
  if (!audList.some((item) => accepted.includes(item))) return oauthError('invalid_grant', 'audience is invalid', log);
  if (app.type === 'external_client_app' && audList.every((item) => item === LOGIN || item === TEST)) {
    // An External Client App must be reached through its org's My Domain (facts sheet, confidence medium;
    // the `error` code varies in reports: invalid_grant chosen). Checked right after aud because it is an
    // audience/host problem, before anything about the user.
    return oauthError('invalid_grant', 'External client app is not installed in this org', log);
  }

  const now = orgNow(state);
  // exp in seconds; the Salesforce CLI sends milliseconds (Date.now() + 300), which Salesforce tolerates,
  // so there is no upper bound. A missing or non-numeric exp is treated as expired (confidence low).
  if (typeof exp !== 'number' || !Number.isFinite(exp) || exp * 1000 < now) {
    return oauthError('invalid_grant', 'expired authorization code', log);
  }

  // Salesforce answers an unknown username like an unapproved one (facts sheet: "possibly a wrong or
  // missing-suffix username").
  const user = typeof sub === 'string' ? findUser(state, sub) : undefined;
  if (!user) return oauthError('invalid_grant', "user hasn't approved this consumer", log);
  if (!user.active || user.frozen) return oauthError('inactive_user', 'user is inactive', log);
  const access = appAccess(app, user);
  if (access === 'not_approved') return oauthError('invalid_grant', "user hasn't approved this consumer", log);
  if (access === 'not_assigned') return oauthError('invalid_app_access', 'user is not admin approved to access this app', log);
  // One string for both: older orgs said "IP restricted or invalid login hours". Login hours by the org's
  // clock in UTC (a real org uses its default time zone).
  if (!insideIpRanges(request.remoteAddress, user.profile.loginIpRanges) || !withinLoginHours(new Date(now).getUTCHours(), user.profile.loginHours)) {
    return oauthError('invalid_grant', 'ip restricted', log);
  }
  // Salesforce's most generic refusal (facts sheet, confidence low); a user without "API Enabled" is the
  // usual reason. Checked once the user is known to be allowed in, like the other user-level settings.
  if (!user.profile.apiEnabled) return oauthError('invalid_grant', 'authentication failure', log);
  if (!app.scopes.includes('refresh_token') && !app.scopes.includes('offline_access')) {
    return oauthError('invalid_request', 'refresh_token scope is required and the connected app should be installed and preauthorized', log);
  }
  if (!state.org.active) return oauthError('inactive_org', 'organization is locked, closed, or suspended', log);

  const counterKey = user.username.toLowerCase();
  const counter = state.loginCounter[counterKey];
  const inWindow = counter !== undefined && now - counter.windowStart < HOUR_MS;
  if (inWindow && counter.count >= state.org.loginsPerHour) return oauthError('rate_limit_exceeded', 'number of logins exceeded', log);
  state.loginCounter[counterKey] = inWindow ? { windowStart: counter.windowStart, count: counter.count + 1 } : { windowStart: now, count: 1 };

  const accessToken = newAccessToken(state.org.orgId);
  const issuedAt = String(now);
  const id = `${state.org.url}/id/${state.org.orgId}/${user.userId}`;
  context.tokens.set(accessToken, { orgId: state.org.orgId, userId: user.userId, username: user.username, scopes: [...app.scopes], issuedAt: now });
  // Salesforce signs id + issued_at with the client secret so a client can check the answer's origin.
  const signature = createHmac('sha256', context.signingSecret).update(id + issuedAt).digest('base64');
  return jsonReply(
    200,
    { access_token: accessToken, signature, scope: app.scopes.join(' '), instance_url: state.org.url, id, token_type: 'Bearer', issued_at: issuedAt },
    { ...log, tokenPrefix: tokenPrefix(accessToken) },
  );
}
