import type { KeyObject } from 'node:crypto';
import { EXIT, UserError } from '../errors.js';
import { classifyOAuthError, type Classification } from '../diagnostics/classify.js';
import { entryFor, entryForWords } from '../diagnostics/knowledge-base.js';
import { httpRequest, type HttpSettings, type HttpTimings } from './http.js';
import { createAssertion } from './jwt.js';
import { Secret } from './secret.js';
import { isLoopbackHost } from '../config/hosts.js';
import { printable } from '../output/printable.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface TokenRequestInput {
  tokenUrl: string;
  clientId: string;
  username: string;
  audience: string;
  privateKey: KeyObject;
  /** Milliseconds since the epoch used for exp; injectable for tests. */
  now?: number;
}

export interface TokenResult {
  accessToken: Secret;
  instanceUrl: string;
  /** The identity URL, `<host>/id/<orgId>/<userId>`. */
  idUrl: string;
  orgId?: string;
  userId?: string;
  scopes: string[];
  tokenType: string;
  issuedAt?: Date;
  /** The token host's clock (its Date header), for the clock check. */
  serverDate?: Date;
  timings: HttpTimings;
  proxy?: string;
}

/**
 * The token endpoint refused, or answered something that is not a token answer. Carries the
 * knowledge-base classification and Salesforce's own words; never the assertion.
 */
export class SalesforceError extends UserError {
  readonly classification: Classification;
  readonly status?: number;
  /** A short, secret-free excerpt of a non-JSON answer. */
  readonly excerpt?: string;
  readonly serverDate?: Date;

  constructor(found: Classification, message: string, extra: { status?: number; excerpt?: string; serverDate?: Date } = {}) {
    // The answer's own words pick the entry's variant (a 407 from a proxy, a redirect, a maintenance page).
    const classification = { ...found, entry: entryForWords(found.entry, message) };
    super(classification.entry.code, message, {
      exitCode: EXIT.failed,
      fix: classification.entry.fix[0],
      detail: {
        status: extra.status,
        error: classification.error,
        errorDescription: classification.errorDescription,
        excerpt: extra.excerpt,
      },
    });
    this.name = 'SalesforceError';
    this.classification = classification;
    this.status = extra.status;
    this.excerpt = extra.excerpt;
    this.serverDate = extra.serverDate;
  }
}

/** Org and user ids from the identity URL `https://host/id/00D.../005...`. */
export function parseIdentityUrl(idUrl: string): { orgId?: string; userId?: string } {
  const match = /\/id\/([A-Za-z0-9]{15,18})\/([A-Za-z0-9]{15,18})\/?$/.exec(idUrl);
  return match ? { orgId: match[1], userId: match[2] } : {};
}

/** Strip markup and anything that looks like a token or assertion, and keep it short. */
export function safeExcerpt(body: string, max = 160): string {
  const text = body
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    // printable() hides the secrets themselves; a page may also hold other long tokens (session ids).
    .replace(/[A-Za-z0-9!._~+/=-]{40,}/g, '[redacted]')
    .replace(/\s+/g, ' ');
  return printable(text, max);
}

function headerDate(headers: Record<string, string | string[] | undefined>): Date | undefined {
  const value = headers.date;
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Sign an assertion and exchange it for an access token. Throws SalesforceError or NetworkError. */
export async function requestToken(input: TokenRequestInput, http: HttpSettings): Promise<TokenResult> {
  const assertion = createAssertion(input);
  const response = await httpRequest(
    { method: 'POST', url: input.tokenUrl, form: { grant_type: JWT_BEARER_GRANT, assertion: assertion.reveal() } },
    http,
  );
  const serverDate = headerDate(response.headers);
  const host = new URL(input.tokenUrl).host;

  if (response.status >= 300 && response.status < 400) {
    const location = typeof response.headers.location === 'string' ? response.headers.location : '(no location)';
    let target = printable(location, 120);
    try {
      target = new URL(location, input.tokenUrl).origin;
    } catch {
      // keep the (printable) raw header
    }
    throw new SalesforceError(
      { entry: entryFor('unexpected_response') },
      `${host} answered ${response.status} redirecting to ${target}; not followed, because the assertion would be sent there`,
      { status: response.status, serverDate },
    );
  }

  const parsed = parseJson(response.body);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    const excerpt = safeExcerpt(response.body);
    throw new SalesforceError(
      { entry: entryFor('unexpected_response') },
      `${host} answered ${response.status} with ${describeBody(response)}, not Salesforce's JSON${excerpt ? `: "${excerpt}"` : ''}`,
      { status: response.status, excerpt, serverDate },
    );
  }
  const body = parsed as Record<string, unknown>;

  if (response.status === 200 && typeof body.access_token === 'string' && typeof body.instance_url === 'string') {
    const idUrl = typeof body.id === 'string' ? body.id : '';
    // The token goes to this origin next (userinfo, REST): only an https origin (http for loopback), and only
    // the origin, never text to print as is.
    const instanceUrl = instanceOrigin(body.instance_url);
    if (!instanceUrl) {
      throw new SalesforceError(
        { entry: entryFor('unexpected_response') },
        `${host} answered with a token but an instance_url that is not an https:// origin ("${printable(body.instance_url, 80)}"); the token was not used`,
        { status: response.status, serverDate },
      );
    }
    return {
      accessToken: new Secret(body.access_token),
      instanceUrl,
      idUrl,
      ...parseIdentityUrl(idUrl),
      // The server's words: made printable (and any secret it echoes there hidden), like every other field.
      scopes: typeof body.scope === 'string' ? body.scope.split(/\s+/).filter(Boolean).map((scope) => printable(scope, 100)) : [],
      tokenType: typeof body.token_type === 'string' ? body.token_type : 'Bearer',
      issuedAt: typeof body.issued_at === 'string' && /^\d+$/.test(body.issued_at) ? new Date(Number(body.issued_at)) : undefined,
      serverDate,
      timings: response.timings,
      proxy: response.proxy,
    };
  }

  if (typeof body.error === 'string') {
    const classification = classifyOAuthError(body);
    const words = [classification.error, classification.errorDescription].filter(Boolean).join(': ');
    throw new SalesforceError(classification, `Salesforce refused the token request (HTTP ${response.status}): ${words}`, {
      status: response.status,
      serverDate,
    });
  }

  throw new SalesforceError(
    { entry: entryFor('unexpected_response') },
    `${host} answered ${response.status} with JSON that is not a token answer (fields: ${printable(Object.keys(body).slice(0, 6).join(', '), 120) || 'none'})`,
    { status: response.status, serverDate },
  );
}

/** The origin of an instance_url the token may be sent to, or undefined. */
function instanceOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return url.origin;
  } catch {
    // not a URL
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeBody(response: { headers: Record<string, string | string[] | undefined>; body: string }): string {
  const type = response.headers['content-type'];
  if (typeof type === 'string' && type.includes('html')) return 'an HTML page';
  if (!response.body.trim()) return 'an empty body';
  return typeof type === 'string' ? `${type.split(';')[0]} content` : 'content';
}
