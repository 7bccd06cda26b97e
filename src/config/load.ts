import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';
import { normalizePemText } from '../keys/pem.js';
import { certificatePathBeside } from '../keys/defaults.js';
import { deriveAudience } from './hosts.js';
import { jsonErrorOf, parseJsonStrict } from './json.js';
import type { FieldSource, OrgConfig, OrgField, ResolvedConfig } from './types.js';
import { ORG_FIELDS, validateOrgConfig, type Problem } from './validate.js';

export const CONFIG_FILE = '.sfconnect.json';
export const DEFAULT_TOKEN_URL = 'https://login.salesforce.com/services/oauth2/token';
export const DEFAULT_API_VERSION = 'v59.0';

/** Environment variables that override config fields (SF_PRIVATE_KEY holds PEM text, not a path). */
export const ENV_FIELDS: Record<string, OrgField> = {
  SF_INSTANCE_URL: 'instanceUrl',
  SF_CLIENT_ID: 'clientId',
  SF_USERNAME: 'username',
  SF_PRIVATE_KEY: 'privateKey',
  SF_PRIVATE_KEY_PATH: 'privateKeyPath',
  SF_TOKEN_URL: 'tokenUrl',
  SF_API_VERSION: 'apiVersion',
  SF_AUDIENCE: 'audience',
  SF_CERTIFICATE_PATH: 'certificatePath',
};
export const ENV_VARS: readonly string[] = [...Object.keys(ENV_FIELDS), 'SF_ORG', 'SF_PRIVATE_KEY_PASSPHRASE'];

export interface RawConfigFile {
  path: string;
  exists: boolean;
  text?: string;
  data?: unknown;
  multiOrg: boolean;
  orgNames: string[];
  defaultOrg?: string;
}

const MAX_CONFIG_BYTES = 1024 * 1024;

/** Read and parse a config file. A missing file is `exists: false`; anything unreadable is a UserError. */
export async function readConfigFile(file: string): Promise<RawConfigFile> {
  const rel = displayPath(file);
  let buffer: Buffer;
  try {
    const stat = await fs.stat(file);
    if (stat.isDirectory()) throw new UserError('config_invalid', `${rel} is a folder, not a config file`, { fix: 'point --config at the .sfconnect.json file' });
    // A FIFO with no writer would block the read, and Ctrl+C with it; a device never ends.
    if (!stat.isFile()) throw new UserError('config_invalid', `${rel} is not a regular file (a FIFO, a socket or a device)`, { fix: 'point --config at the .sfconnect.json file; without one, the settings come from SF_* variables' });
    if (stat.size > MAX_CONFIG_BYTES) throw new UserError('config_invalid', `${rel} is ${stat.size} bytes; a config file is a few hundred`, { fix: 'point --config at the .sfconnect.json file' });
    buffer = await fs.readFile(file);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { path: file, exists: false, multiOrg: false, orgNames: [] };
    throw new UserError('config_invalid', `${rel} cannot be read (${code ?? 'error'})`, { fix: `check its permissions: ls -l ${rel}` });
  }
  // A UTF-8 byte-order mark (Windows editors) is harmless: drop it.
  const text = buffer.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    throw new UserError('config_invalid', `${rel} is empty`, { fix: 'run `sf-setup config --client-id ... --username ...` to write it, or delete it' });
  }
  let data: unknown;
  try {
    data = parseJsonStrict(text);
  } catch (error) {
    const json = jsonErrorOf(error);
    if (!json) throw error;
    throw new UserError('config_invalid', `${rel} is not valid JSON: line ${json.line}, column ${json.column}: ${json.message}`, {
      fix: json.fix,
      detail: { line: json.line, column: json.column, syntax: true },
    });
  }
  const record = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  const multiOrg = Boolean(record && 'orgs' in record);
  const orgs = multiOrg && record!.orgs && typeof record!.orgs === 'object' && !Array.isArray(record!.orgs) ? (record!.orgs as Record<string, unknown>) : {};
  return {
    path: file,
    exists: true,
    text,
    data,
    multiOrg,
    orgNames: Object.keys(orgs),
    defaultOrg: multiOrg && typeof record!.defaultOrg === 'string' ? record!.defaultOrg : undefined,
  };
}

export interface LoadConfigOptions {
  cwd: string;
  configPath?: string;
  org?: string;
  env?: NodeJS.ProcessEnv;
  allowUntrustedHost?: boolean;
}

export function displayPath(file: string): string {
  let here: string;
  try {
    here = process.cwd();
  } catch {
    return file; // the folder was deleted under the shell: the whole path
  }
  const rel = path.relative(here, file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/** A path from the config or the environment: `~` is the home folder, a relative path is relative to `base`. */
export function resolveConfigPath(p: string, base: string): string {
  if (p === '~') return os.homedir();
  if (p.startsWith('~/')) return path.join(os.homedir(), p.slice(2));
  return path.resolve(base, p);
}

/** Pick the org of a multi-org file: explicit --org, then SF_ORG, then defaultOrg, then the only one. */
function chooseOrg(raw: RawConfigFile, explicit: string | undefined, env: NodeJS.ProcessEnv): string | null {
  const rel = displayPath(raw.path);
  if (!raw.multiOrg) {
    if (explicit) {
      throw new UserError('config_invalid', `--org ${explicit}: ${rel} holds a single org, not named orgs`, {
        fix: 'drop --org, or use the multi-org form {"defaultOrg": "...", "orgs": {"name": {...}}}',
      });
    }
    return null;
  }
  const data = raw.data as Record<string, unknown>;
  if (!data.orgs || typeof data.orgs !== 'object' || Array.isArray(data.orgs)) {
    throw new UserError('config_invalid', `${rel}: "orgs" must be an object of named orgs`, { fix: 'write "orgs": {"prod": {...}, "uat": {...}}' });
  }
  const choice = explicit ?? (env.SF_ORG?.trim() || undefined) ?? raw.defaultOrg ?? (raw.orgNames.length === 1 ? raw.orgNames[0] : undefined);
  const via = explicit ? '--org' : env.SF_ORG ? 'SF_ORG' : 'defaultOrg';
  if (!choice) {
    throw new UserError('config_invalid', `${rel} has ${raw.orgNames.length} orgs (${raw.orgNames.join(', ') || 'none'}) and none is chosen`, {
      fix: raw.orgNames.length ? `pass --org ${raw.orgNames[0]}, set SF_ORG, or run \`sf-setup use ${raw.orgNames[0]}\`` : 'add an org under "orgs"',
    });
  }
  if (!raw.orgNames.includes(choice)) {
    throw new UserError('config_invalid', `${via} names "${choice}", but ${rel} has no such org (it has: ${raw.orgNames.join(', ') || 'none'})`, {
      fix: raw.orgNames.length ? `use one of: ${raw.orgNames.join(', ')}` : 'add the org under "orgs"',
    });
  }
  return choice;
}

/**
 * Resolve the configuration: the file (single- or multi-org), then environment variables field by field,
 * then defaults; every field remembers where it came from. Throws UserError (exit 2) with the first error
 * as one line and all problems in `detail.problems`.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<ResolvedConfig> {
  const env = options.env ?? process.env;
  const file = path.resolve(options.cwd, options.configPath ?? CONFIG_FILE);
  const raw = await readConfigFile(file);
  if (!raw.exists && options.configPath) {
    throw new UserError('config_missing', `${displayPath(file)} does not exist`, { fix: 'check the --config path, or run `npx sf-setup` to create it' });
  }

  // No prototype: a "__proto__" field in the file must be an unknown field like any other, not a hidden
  // source of clientId or username that validation would never see.
  const values: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const sources: Partial<Record<OrgField, FieldSource>> = Object.create(null) as Partial<Record<OrgField, FieldSource>>;
  const warnings: string[] = [];
  let org: string | null = null;
  let where = 'the environment';

  if (raw.exists) {
    org = chooseOrg(raw, options.org, env);
    where = displayPath(file) + (org ? ` (org "${org}")` : '');
    const section = org ? (raw.data as { orgs: Record<string, unknown> }).orgs[org] : raw.data;
    if (!section || typeof section !== 'object' || Array.isArray(section)) {
      const found = Array.isArray(section) ? 'a list' : section === null ? 'null' : typeof section;
      throw new UserError('config_invalid', `${where} must be a JSON object of settings ({ "clientId": ..., ... }), found ${found}`, { fix: 'see README.md for the format' });
    }
    if (raw.multiOrg) {
      for (const key of Object.keys(raw.data as object)) {
        if (!['defaultOrg', 'orgs', '$schema'].includes(key)) warnings.push(`unknown top-level field "${key}" is kept but not used`);
      }
    }
    for (const [key, value] of Object.entries(section as Record<string, unknown>)) {
      if (key === 'privateKey') {
        throw new UserError('config_invalid', `${where}: a private key must not be stored in the config file`, {
          fix: 'save it as certs/server.key (0600) and set "privateKeyPath", or use SF_PRIVATE_KEY in CI',
        });
      }
      values[key] = value;
      sources[key as OrgField] = 'file';
    }
  } else if (options.org) {
    throw new UserError('config_missing', `--org ${options.org}: there is no ${CONFIG_FILE} here`, { fix: 'run `npx sf-setup` or `sf-setup config --org NAME ...`' });
  }

  let fromEnv = 0;
  for (const [name, field] of Object.entries(ENV_FIELDS)) {
    const value = env[name];
    if (value === undefined) continue;
    if (value.trim() === '') {
      throw new UserError('config_invalid', `${name} is set but empty`, { fix: `unset ${name}, or give it a value` });
    }
    fromEnv++;
    if (field === 'privateKey') {
      values.privateKey = normalizePemText(value);
      sources.privateKey = 'env';
      // An inline key replaces any key file named by the file.
      delete values.privateKeyPath;
      delete sources.privateKeyPath;
      continue;
    }
    values[field] = value;
    sources[field] = 'env';
  }
  if (!raw.exists && fromEnv === 0) {
    throw new UserError('config_missing', `no ${CONFIG_FILE} in ${displayPath(options.cwd) || '.'} and no SF_* environment variables`, {
      fix: 'run `npx sf-setup` (the wizard) or `sf-setup config --client-id ... --username ...`; in CI set SF_CLIENT_ID, SF_USERNAME and SF_PRIVATE_KEY',
    });
  }
  if (sources.privateKey && sources.privateKeyPath === 'env') {
    throw new UserError('config_invalid', 'both SF_PRIVATE_KEY and SF_PRIVATE_KEY_PATH are set', { fix: 'keep one of them' });
  }

  // Copy-paste classics: a trailing newline (a CI secret saved with CRLF) or spaces around a value. Sent as
  // they are, they would put "\r\n" into the JWT's aud or sub, or name a file that does not exist.
  const envNameOf = Object.fromEntries(Object.entries(ENV_FIELDS).map(([name, field]) => [field, name])) as Record<string, string>;
  for (const field of ORG_FIELDS) {
    const value = values[field];
    if (field === 'privateKey' || typeof value !== 'string' || value === value.trim() || value.trim() === '') continue;
    values[field] = value.trim();
    const origin = sources[field] === 'env' ? envNameOf[field] : field;
    warnings.push(`${origin} had surrounding whitespace or a line break (a copy-paste classic); trimmed it`);
  }

  const setDefault = (field: OrgField, value: unknown) => {
    if (values[field] === undefined && value !== undefined) {
      values[field] = value;
      sources[field] = 'default';
    }
  };
  setDefault('authType', 'jwt');
  setDefault('algorithm', 'RS256');
  setDefault('apiVersion', DEFAULT_API_VERSION);
  setDefault('tokenUrl', DEFAULT_TOKEN_URL);
  if (typeof values.tokenUrl === 'string') {
    try {
      setDefault('instanceUrl', new URL(values.tokenUrl).origin);
      setDefault('audience', deriveAudience(values.tokenUrl));
    } catch {
      // invalid URL: validation reports it
    }
  }

  // With no file, a missing field is fixed by its variable (SF_USERNAME), not by JSON.
  const envNames = raw.exists ? undefined : Object.fromEntries(Object.entries(ENV_FIELDS).map(([name, field]) => [field, name]));
  const problems: Problem[] = validateOrgConfig(values, { where, allowUntrustedHost: options.allowUntrustedHost, envNames });
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) {
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more: run \`sf-setup doctor --offline\`)` : '';
    throw new UserError(first.code, `${where}: ${first.message}${more}`, { fix: first.fix, detail: { problems, where } });
  }
  warnings.push(...problems.filter((p) => p.severity === 'warning').map((p) => p.message));

  const base = raw.exists ? path.dirname(file) : options.cwd;
  if (typeof values.privateKeyPath === 'string') {
    values.privateKeyPath = resolveConfigPath(values.privateKeyPath, sources.privateKeyPath === 'env' ? options.cwd : base);
    setDefault('certificatePath', certificatePathBeside(values.privateKeyPath as string));
  }
  if (typeof values.certificatePath === 'string') {
    values.certificatePath = resolveConfigPath(values.certificatePath, sources.certificatePath === 'file' ? base : options.cwd);
  }
  // Validation accepts /services/oauth2/token/ as the token path; post to the canonical one.
  values.tokenUrl = String(values.tokenUrl).replace(/\/+$/, '');
  values.instanceUrl = String(values.instanceUrl).replace(/\/+$/, '');
  values.audience = String(values.audience).replace(/\/+$/, '');
  values.clientId = String(values.clientId);

  return {
    org,
    orgNames: raw.orgNames,
    configPath: raw.exists ? file : null,
    values: values as unknown as OrgConfig,
    sources,
    warnings,
  };
}
