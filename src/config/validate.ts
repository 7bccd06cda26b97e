import { closest } from '../output/closest.js';
import { isIP } from 'node:net';
import { classifyTokenHost, isLoopbackHost } from './hosts.js';
import type { OrgField } from './types.js';

export interface Problem {
  field?: string;
  code: string;
  message: string;
  fix?: string;
  severity: 'error' | 'warning';
}

/** Every field an org may have, in the seed's order (new files are written in this order). */
export const ORG_FIELDS: readonly OrgField[] = [
  'instanceUrl',
  'apiVersion',
  'authType',
  'tokenUrl',
  'clientId',
  'username',
  'privateKeyPath',
  'algorithm',
  'certificatePath',
  'audience',
  'egressIps',
];

/** Fields a file may hold (privateKey is env-only: a key never belongs in the config file). */
const FILE_FIELDS = ORG_FIELDS;

/** Common wrong names people type, beyond case and small typos. */
const ALIASES: Record<string, OrgField> = {
  user: 'username',
  login: 'username',
  consumerkey: 'clientId',
  client_id: 'clientId',
  key: 'privateKeyPath',
  keypath: 'privateKeyPath',
  privatekey: 'privateKeyPath',
  private_key_path: 'privateKeyPath',
  cert: 'certificatePath',
  certpath: 'certificatePath',
  loginurl: 'tokenUrl',
  token_url: 'tokenUrl',
  instance_url: 'instanceUrl',
  version: 'apiVersion',
  aud: 'audience',
};

/** The known field an unknown key was probably meant to be, or undefined. */
export function didYouMean(key: string): OrgField | undefined {
  const lower = key.toLowerCase();
  const byCase = FILE_FIELDS.find((field) => field.toLowerCase() === lower);
  if (byCase) return byCase;
  // Own keys only: "constructor" or "__proto__" must not find Object.prototype's members.
  if (Object.hasOwn(ALIASES, lower)) return ALIASES[lower];
  return closest(lower, FILE_FIELDS);
}

export interface ValidateContext {
  /** Where the values came from, for messages: ".sfconnect.json", ".sfconnect.json (org uat)". */
  where: string;
  allowUntrustedHost?: boolean;
  /** The values come from environment variables alone: a missing field's fix names its variable. */
  envNames?: Partial<Record<string, string>>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Check one org's values against every rule; returns all problems, errors and warnings, not just the first.
 * Pure: no file or network access.
 */
export function validateOrgConfig(input: unknown, ctx: ValidateContext): Problem[] {
  const problems: Problem[] = [];
  const error = (field: string | undefined, message: string, fix?: string, code = 'config_invalid') =>
    problems.push({ field, code, message: field ? `${field}: ${message}` : message, fix, severity: 'error' });
  const warn = (field: string | undefined, message: string, fix?: string) =>
    problems.push({ field, code: 'config_invalid', message: field ? `${field}: ${message}` : message, fix, severity: 'warning' });

  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    error(undefined, `${ctx.where} must hold a JSON object ({ "clientId": ..., ... }), found ${Array.isArray(input) ? 'a list' : input === null ? 'null' : typeof input}`, 'see README.md for the format');
    return problems;
  }
  const values = input as Record<string, unknown>;

  for (const key of Object.keys(values)) {
    if ((FILE_FIELDS as readonly string[]).includes(key) || key === 'privateKey') continue;
    const guess = didYouMean(key);
    if (guess) error(key, `unknown field "${key}" in ${ctx.where}; did you mean "${guess}"?`, `rename "${key}" to "${guess}"`);
    else warn(key, `unknown field "${key}" is kept but not used`);
  }

  const str = (field: OrgField, example: string): string | undefined => {
    const value = values[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      error(field, `must be a string like ${example}, got ${Array.isArray(value) ? 'a list' : value === null ? 'null' : `${typeof value} ${JSON.stringify(value)}`}`, `write "${field}": ${example}`);
      return undefined;
    }
    if (value.trim() === '') {
      error(field, 'is empty', `give a value like ${example}`);
      return undefined;
    }
    return value;
  };

  const required = (field: OrgField, example: string) => {
    if (values[field] === undefined) {
      const variable = ctx.envNames?.[field];
      const inline = field === 'privateKeyPath' ? ctx.envNames?.privateKey : undefined;
      const fix = !variable
        ? `add "${field}": ${example}`
        : inline
          ? `set ${inline} to the key's PEM text, or ${variable} to its file`
          : `set ${variable}, e.g. ${variable}=${example.replace(/^"([^"]*)".*$/, '$1')}`;
      error(field, `is missing from ${ctx.where}`, fix);
    }
  };
  required('tokenUrl', '"https://login.salesforce.com/services/oauth2/token"');
  required('clientId', '"<Consumer Key of your app>"');
  required('username', '"you@example.com"');
  if (values.privateKey === undefined) required('privateKeyPath', '"./certs/server.key" (or set SF_PRIVATE_KEY)');

  const url = (field: OrgField, value: string | undefined): URL | undefined => {
    if (value === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      error(field, `"${value}" is not a URL`, `write a full URL such as ${field === 'tokenUrl' ? 'https://login.salesforce.com/services/oauth2/token' : 'https://acme.my.salesforce.com'}`);
      return undefined;
    }
    if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
      error(field, `must use https:// (http:// is only for 127.0.0.1 and localhost): ${value}`, `use ${value.replace(/^http:/, 'https:')}`);
      return undefined;
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      error(field, `must be an https:// URL, got ${parsed.protocol}`, 'use https://');
      return undefined;
    }
    if (parsed.hostname.endsWith('.lightning.force.com')) {
      const myDomain = parsed.hostname.replace(/\.lightning\.force\.com$/, '.my.salesforce.com');
      error(field, `${parsed.hostname} is the Lightning UI host; OAuth and the API live on the My Domain`, `use https://${myDomain}${field === 'tokenUrl' ? '/services/oauth2/token' : ''}`);
      return undefined;
    }
    return parsed;
  };

  const tokenUrl = url('tokenUrl', str('tokenUrl', '"https://login.salesforce.com/services/oauth2/token"'));
  if (tokenUrl) {
    // Only an Experience Cloud site puts its own path before it (https://acme.my.site.com/partners/services/oauth2/token).
    const tokenPath = tokenUrl.pathname.replace(/\/+$/, '');
    const site = classifyTokenHost(tokenUrl.href) === 'site';
    if (site ? !tokenPath.endsWith('/services/oauth2/token') : tokenPath !== '/services/oauth2/token') {
      error('tokenUrl', site ? `must end in /services/oauth2/token, got "${tokenUrl.pathname}"` : `must be /services/oauth2/token on the host (a path before it is only for Experience Cloud sites), got "${tokenUrl.pathname}"`, `use ${tokenUrl.origin}/services/oauth2/token`);
    }
    if (classifyTokenHost(tokenUrl.href) === 'untrusted') {
      const message = `${tokenUrl.hostname} is not a Salesforce domain; the signed assertion (a 3-minute login as the user) would be handed to it`;
      if (ctx.allowUntrustedHost) warn('tokenUrl', `${message} (allowed by --allow-untrusted-host)`);
      else error('tokenUrl', message, 'use login.salesforce.com, test.salesforce.com or your *.my.salesforce.com, or pass --allow-untrusted-host if you mean it', 'token_url_untrusted');
    }
  }

  const instanceUrl = url('instanceUrl', str('instanceUrl', '"https://acme.my.salesforce.com"'));
  if (instanceUrl && instanceUrl.pathname.replace(/\/+$/, '') !== '') {
    error('instanceUrl', `must be just the origin, without a path ("${instanceUrl.pathname}")`, `use ${instanceUrl.origin}`);
  }
  const audience = str('audience', '"https://login.salesforce.com"');
  if (audience !== undefined) {
    const parsed = url('audience', audience);
    // Only an Experience Cloud site's audience has a path: the site's own.
    if (parsed && parsed.pathname.replace(/\/+$/, '') !== '' && classifyTokenHost(parsed.href) !== 'site') {
      error('audience', `must be an origin like https://login.salesforce.com, without a path`, `use ${parsed.origin}`);
    }
  }

  const apiVersion = str('apiVersion', '"v59.0"');
  if (apiVersion !== undefined && !/^v\d{2,3}\.0$/.test(apiVersion)) {
    const number = /^v?(\d{2,3})(?:\.0)?$/.exec(apiVersion.trim());
    error('apiVersion', `"${apiVersion}" is not an API version`, number ? `did you mean "v${number[1]}.0"?` : 'write it like "v59.0"');
  } else if (values.apiVersion !== undefined && typeof values.apiVersion === 'number') {
    // handled by str(): the message suggests the string form
  }

  const authType = str('authType', '"jwt"');
  if (authType !== undefined && authType !== 'jwt') error('authType', `must be "jwt" (the JWT Bearer Flow), got "${authType}"`, 'write "authType": "jwt"');
  const algorithm = str('algorithm', '"RS256"');
  if (algorithm !== undefined && algorithm !== 'RS256') error('algorithm', `must be "RS256" (the only algorithm Salesforce documents), got "${algorithm}"`, 'write "algorithm": "RS256"');

  const username = str('username', '"you@example.com"');
  if (username !== undefined) {
    if (/\s/.test(username.trim())) error('username', `"${username}" contains spaces`, 'a Salesforce username looks like an email address: you@example.com');
    else if (!EMAIL.test(username.trim())) error('username', `"${username}" does not look like a Salesforce username`, 'a Salesforce username looks like an email address: you@example.com (sandbox: you@example.com.uat)');
  }

  const clientId = str('clientId', '"3MVG9..."');
  if (clientId !== undefined) {
    if (/\s/.test(clientId.trim())) error('clientId', 'contains spaces or line breaks inside', 'copy the Consumer Key again (App Manager > your app > View > Manage Consumer Details)');
    // A Consumer Secret is shown right below the key: 64 hexadecimal characters. Not echoed: it is a secret.
    else if (/^(?:[0-9A-F]{64}|[0-9a-f]{64})$/.test(clientId.trim())) {
      warn('clientId', 'this looks like the Consumer Secret, not the Consumer Key (which starts with 3MVG); JWT needs only the key', 'copy the Consumer Key: App Manager > your app > View > Manage Consumer Details');
    } else if (clientId.trim().length < 10) warn('clientId', `"${clientId}" is shorter than a Consumer Key usually is (85 characters, starting 3MVG)`);
  }

  for (const field of ['privateKeyPath', 'certificatePath'] as const) {
    const value = str(field, field === 'privateKeyPath' ? '"./certs/server.key"' : '"./certs/server.crt"');
    const windows = value === undefined ? undefined : windowsPath(value);
    if (windows) error(field, windows.message, windows.fix);
  }

  if (values.egressIps !== undefined) {
    if (!Array.isArray(values.egressIps)) error('egressIps', 'must be a list of IP addresses, e.g. ["203.0.113.7"]', 'write "egressIps": ["203.0.113.7"]');
    else for (const ip of values.egressIps) if (typeof ip !== 'string' || !isIP(ip)) error('egressIps', `${JSON.stringify(ip)} is not an IP address`, 'list single addresses like "203.0.113.7"');
  }
  return problems;
}

/**
 * A path written with Windows separators on a system that has none: `certs\server.key` names one file called
 * that (and a .gitignore line for it matches nothing, since git reads \ as an escape). Undefined when fine.
 */
export function windowsPath(value: string, platform: NodeJS.Platform = process.platform): { message: string; fix: string } | undefined {
  if (platform === 'win32' || !value.includes('\\')) return undefined;
  return { message: `"${value}" is written with \\ (a Windows path); here folders are separated by /`, fix: `write it with /: ${value.replace(/^[A-Za-z]:\\?/, '').replace(/\\/g, '/')}` };
}
