import { classifyText } from '../diagnostics/classify.js';
import { entryFor } from '../diagnostics/knowledge-base.js';
import { printable } from '../output/printable.js';
import { httpRequest, type HttpSettings } from './http.js';
import type { Secret } from './secret.js';
import { SalesforceError, safeExcerpt } from './token.js';

export interface UserInfo {
  username?: string;
  userId?: string;
  orgId?: string;
  email?: string;
  name?: string;
}

export interface ApiVersion {
  version: string; // "59.0"
  label?: string;
  url?: string;
}

async function getJson(url: string, http: HttpSettings, token?: Secret): Promise<unknown> {
  const response = await httpRequest(
    { method: 'GET', url, headers: token ? { authorization: `Bearer ${token.reveal()}` } : undefined },
    http,
  );
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    throw new SalesforceError(
      { entry: entryFor('unexpected_response') },
      `${new URL(url).host} answered ${response.status} to ${new URL(url).pathname} with something that is not JSON: "${safeExcerpt(response.body)}"`,
      { status: response.status },
    );
  }
  if (response.status === 401) {
    // A token that was just issued but is refused by REST means the app lacks the `api` scope (facts sheet).
    throw new SalesforceError(
      { entry: entryFor('api_scope_missing'), error: 'INVALID_SESSION_ID', errorDescription: restMessage(body) },
      `the API refused the new token (401 INVALID_SESSION_ID): the app probably lacks the "api" scope`,
      { status: 401 },
    );
  }
  if (response.status >= 400) {
    // A REST error code the knowledge base has an entry for gets it; other messages are not guessed at
    // ("MALFORMED_QUERY: ... timeout" is not a network timeout).
    const message = restMessage(body);
    const known = message && /^(API_DISABLED_FOR_ORG|API_CURRENTLY_DISABLED|INVALID_SESSION_ID)\b/.test(message) ? classifyText(message) : null;
    throw new SalesforceError(
      { entry: known?.entry ?? entryFor('unexpected_response'), errorDescription: message },
      `${new URL(url).pathname} answered ${response.status}: ${message ?? 'no message'}`,
      { status: response.status },
    );
  }
  return body;
}

function restMessage(body: unknown): string | undefined {
  const first = Array.isArray(body) ? body[0] : body;
  if (first && typeof first === 'object') {
    const record = first as Record<string, unknown>;
    const code = typeof record.errorCode === 'string' ? record.errorCode : undefined;
    const message = typeof record.message === 'string' ? record.message : undefined;
    return printable([code, message].filter(Boolean).join(': ')) || undefined;
  }
  return undefined;
}

/** A string field of an answer, printable (it is shown: the username, the org id). */
const str = (value: unknown) => (typeof value === 'string' ? printable(value, 200) || undefined : undefined);

/** GET /services/oauth2/userinfo: who the token belongs to. */
export async function getUserInfo(instanceUrl: string, token: Secret, http: HttpSettings): Promise<UserInfo> {
  const body = (await getJson(`${instanceUrl}/services/oauth2/userinfo`, http, token)) as Record<string, unknown>;
  return {
    username: str(body.preferred_username) ?? str(body.username),
    userId: str(body.user_id),
    orgId: str(body.organization_id),
    email: str(body.email),
    name: str(body.name),
  };
}

/** GET /services/data/: the API versions the org supports (needs no token), oldest first. */
export async function getApiVersions(instanceUrl: string, http: HttpSettings): Promise<ApiVersion[]> {
  const body = await getJson(`${instanceUrl}/services/data/`, http);
  if (!Array.isArray(body)) {
    throw new SalesforceError({ entry: entryFor('unexpected_response') }, '/services/data/ did not answer with a version list', {});
  }
  return body
    // Only well-formed versions ("59.0"): they are compared as numbers and printed.
    .filter((item): item is Record<string, unknown> => Boolean(item) && typeof item === 'object' && /^\d{1,3}\.\d$/.test(String((item as Record<string, unknown>).version)))
    .map((item) => ({ version: item.version as string, label: str(item.label), url: str(item.url) }))
    .sort((a, b) => Number(a.version) - Number(b.version));
}

/** A SOQL query through REST; returns the records. */
export async function query(instanceUrl: string, apiVersion: string, soql: string, token: Secret, http: HttpSettings): Promise<Record<string, unknown>[]> {
  const body = (await getJson(`${instanceUrl}/services/data/${apiVersion}/query?q=${encodeURIComponent(soql)}`, http, token)) as Record<string, unknown>;
  return Array.isArray(body.records) ? (body.records as Record<string, unknown>[]) : [];
}

/** "v59.0" -> 59 */
export function versionNumber(apiVersion: string): number {
  return Number(apiVersion.replace(/^v/, ''));
}
