import { invalidSession, jsonReply, notFound, type Reply } from './reply.js';
import { runQuery } from './soql.js';
import { releaseLabel } from './state.js';
import { hasApiScope, tokenPrefix, type IssuedToken, type TokenStore } from './tokens.js';
import type { OrgState, UserState } from './types.js';

export interface RestRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
}

/** GET /services/data/: the versions the org supports. Salesforce serves this without a token. */
function versionList(state: OrgState): Reply {
  return jsonReply(
    200,
    state.org.apiVersions.map((version) => ({ label: releaseLabel(Number(version)), url: `/services/data/v${version}`, version })),
  );
}

function resources(version: string): Reply {
  const base = `/services/data/v${version}`;
  const names = ['tooling', 'metadata', 'eclair', 'folders', 'jsonxform', 'chatter', 'tabs', 'appMenu', 'quickActions', 'queryAll', 'commerce', 'wave', 'analytics', 'search', 'identity', 'composite', 'parameterizedSearch', 'theme', 'nouns', 'recent', 'licensing', 'limits', 'async-queries', 'query', 'connect', 'sobjects', 'actions', 'support'];
  const map: Record<string, string> = {};
  for (const name of names) map[name] = `${base}/${name}`;
  return jsonReply(200, map);
}

function identity(state: OrgState, user: UserState): Record<string, unknown> {
  const { org } = state;
  const [first, ...rest] = user.displayName.split(' ');
  const urls = {
    enterprise: `${org.url}/services/Soap/c/{version}/${org.orgId.slice(0, 15)}`,
    partner: `${org.url}/services/Soap/u/{version}/${org.orgId.slice(0, 15)}`,
    rest: `${org.url}/services/data/v{version}/`,
    sobjects: `${org.url}/services/data/v{version}/sobjects/`,
    query: `${org.url}/services/data/v{version}/query/`,
    profile: `${org.url}/${user.userId}`,
  };
  return {
    id: `${org.url}/id/${org.orgId}/${user.userId}`,
    user_id: user.userId,
    organization_id: org.orgId,
    username: user.username,
    preferred_username: user.username,
    nick_name: user.username.split('@')[0],
    display_name: user.displayName,
    name: user.displayName,
    given_name: rest.length ? first : '',
    family_name: rest.length ? rest.join(' ') : first,
    email: user.email,
    email_verified: true,
    active: user.active,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    zoneinfo: 'GMT',
    utcOffset: 0,
    is_app_installed: true,
    urls,
  };
}

function withLog(reply: Reply, log: Reply['log']): Reply {
  return { ...reply, log: { ...reply.log, ...log } };
}

function bearer(request: RestRequest): string | undefined {
  const match = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(request.authorization ?? '');
  // The identity URL also takes ?oauth_token= (jsforce's identity() uses it).
  return match?.[1] ?? (request.path.startsWith('/id/') ? request.query.get('oauth_token') ?? undefined : undefined);
}

/**
 * Every route but the token endpoint. A token is needed everywhere except GET /services/data/; REST under
 * /services/data/vNN.0 also needs the `api` scope (without it Salesforce answers 401 INVALID_SESSION_ID
 * right after issuing the token: facts sheet). userinfo and the identity URL work without `api`.
 */
export function restEndpoint(request: RestRequest, state: OrgState, tokens: TokenStore): Reply {
  const path = request.path.replace(/\/+$/, '') || '/';
  if (path === '/services/data' && request.method === 'GET') return versionList(state);

  const token = bearer(request);
  const issued: IssuedToken | undefined = token ? tokens.get(token) : undefined;
  const log = token ? { tokenPrefix: tokenPrefix(token) } : {};
  const user = issued ? state.users.find((candidate) => candidate.userId === issued.userId) : undefined;
  if (!issued || !user || issued.orgId !== state.org.orgId) return invalidSession(log);

  if (path === '/services/oauth2/userinfo' && (request.method === 'GET' || request.method === 'POST')) {
    const { id, ...rest } = identity(state, user);
    return jsonReply(200, { sub: id, ...rest, profile: `${state.org.url}/${user.userId}` }, log);
  }
  const idMatch = /^\/id\/([^/]+)\/([^/]+)$/.exec(path);
  if (idMatch && request.method === 'GET') {
    return idMatch[1] === state.org.orgId && idMatch[2] === user.userId ? jsonReply(200, identity(state, user), log) : notFound(log);
  }

  const dataMatch = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(path);
  if (dataMatch) {
    if (!hasApiScope(issued.scopes)) return invalidSession(log);
    const [, version, rest = ''] = dataMatch;
    if (!state.org.apiVersions.includes(version) || request.method !== 'GET') return notFound(log);
    if (rest === '') return withLog(resources(version), log);
    if (rest === '/query') return withLog(runQuery(state, request.query.get('q') ?? '', version), log);
  }
  return notFound(log);
}
