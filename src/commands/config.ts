import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { classifyTokenHost, deriveAudience, gitignoreKey, readConfigFile, resolveConfigPath, validateOrgConfig, writeConfig } from '../config/index.js';
import type { OrgConfig } from '../config/types.js';
import { EXIT, UserError } from '../errors.js';
import { audienceMismatch, environmentMismatch } from '../salesforce/environment.js';
import { print, printJson, type CommandContext } from './context.js';

export const PRODUCTION_TOKEN_URL = 'https://login.salesforce.com/services/oauth2/token';
export const SANDBOX_TOKEN_URL = 'https://test.salesforce.com/services/oauth2/token';
export const DEFAULT_API_VERSION = 'v59.0';
export const DEFAULT_KEY_PATH = './certs/server.key';

export interface ConfigOptions {
  clientId?: string;
  username?: string;
  sandbox?: boolean;
  tokenUrl?: string;
  instanceUrl?: string;
  apiVersion?: string;
  privateKeyPath?: string;
  audience?: string;
  org?: string;
  config: string;
  allowUntrustedHost?: boolean;
  json?: boolean;
}

export interface SaveConfigResult {
  path: string;
  created: boolean;
  changed: string[];
  values: Partial<OrgConfig>;
  gitignoreAdded: string[];
  /** The config's own warnings on the values written (validateOrgConfig). */
  warnings: string[];
}

/**
 * Merge new values over what the file already holds for this org, validate the result as a whole, write it
 * atomically, and git-ignore the key and the config. The one path by which `config` and the wizard write.
 */
export async function saveOrgConfig(
  input: { file: string; org?: string; values: Partial<OrgConfig>; allowUntrustedHost?: boolean },
): Promise<SaveConfigResult> {
  const raw = await readConfigFile(input.file);
  const existing = existingOrgValues(raw.data, input.org);
  const merged: Partial<OrgConfig> = { ...existing };
  for (const [field, value] of Object.entries(input.values) as [keyof OrgConfig, unknown][]) {
    if (value !== undefined) (merged as Record<string, unknown>)[field] = value;
  }
  merged.authType = 'jwt';
  merged.algorithm = 'RS256';
  merged.tokenUrl ??= PRODUCTION_TOKEN_URL;
  merged.apiVersion ??= DEFAULT_API_VERSION;
  merged.privateKeyPath ??= DEFAULT_KEY_PATH;
  // A My Domain token URL is also the instance. A login host is not: the token answer names the instance
  // (the wizard writes it after its token test), so nothing is written rather than an address the doctor
  // would then warn about.
  const kind = classifyTokenHost(merged.tokenUrl);
  if (kind !== 'production' && kind !== 'sandbox') merged.instanceUrl ??= new URL(merged.tokenUrl).origin;

  const missing = (['clientId', 'username'] as const).filter((field) => !merged[field]);
  if (missing.length) {
    const flag = (f: string) => `--${f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new UserError('config_invalid', `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required`, {
      fix: `pass ${missing.map(flag).join(' and ')} (the Consumer Key is under App Manager > your app > View)`,
    });
  }
  const problems = validateOrgConfig(merged, { where: path.basename(input.file), allowUntrustedHost: input.allowUntrustedHost });
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length) {
    throw new UserError(errors[0].code === 'token_url_untrusted' ? 'token_url_untrusted' : 'config_invalid', errors[0].message, {
      fix: errors[0].fix,
      detail: { problems },
    });
  }
  // Write only fields that are not derived defaults we would re-derive anyway.
  const toWrite: Partial<OrgConfig> = { ...merged };
  delete toWrite.privateKey;
  const dir = path.dirname(input.file);
  const keyPath = resolveConfigPath(merged.privateKeyPath, dir);
  if ((await stat(keyPath).catch(() => undefined))?.isDirectory()) {
    throw new UserError('config_invalid', `privateKeyPath ${merged.privateKeyPath} is a folder, not a key file`, {
      fix: `point it at the key file inside it, e.g. --private-key-path ${path.join(merged.privateKeyPath, 'server.key')}`,
    });
  }
  const written = await writeConfig(input.file, { org: input.org, values: toWrite }, raw);
  const warnings = problems.filter((p) => p.severity === 'warning').map((p) => p.message);
  return { ...written, values: merged, warnings, gitignoreAdded: await gitignoreKey(dir, keyPath, [path.basename(input.file)]) };
}

/**
 * The org `emulator --write-config` writes to: the org the config would update (its default org, or its only
 * one) when there is none yet or it already points at an emulator on this machine; otherwise org "emulator",
 * so that a real org's settings are never replaced by the emulator's. A config with several orgs and no
 * default gets org "emulator" too.
 */
export async function emulatorOrgName(file: string): Promise<string | undefined> {
  const data = (await readConfigFile(file)).data as Record<string, unknown> | undefined;
  if (!data || typeof data !== 'object') return undefined;
  const orgs = data.orgs && typeof data.orgs === 'object' ? (data.orgs as Record<string, unknown>) : undefined;
  const names = orgs ? Object.keys(orgs) : [];
  const name = orgs ? (typeof data.defaultOrg === 'string' ? data.defaultOrg : names.length === 1 ? names[0] : undefined) : undefined;
  if (orgs && names.length > 0 && name === undefined) return EMULATOR_ORG;
  const current = (orgs ? orgs[name ?? ''] : data) as Partial<OrgConfig> | undefined;
  if (!current || typeof current !== 'object') return undefined;
  const settingUp = current.clientId === undefined && current.username === undefined && current.tokenUrl === undefined;
  // A token URL left out is login.salesforce.com: a real org.
  const emulated = typeof current.tokenUrl === 'string' && classifyTokenHost(current.tokenUrl) === 'loopback';
  return settingUp || emulated ? undefined : EMULATOR_ORG;
}
export const EMULATOR_ORG = 'emulator';

function existingOrgValues(data: unknown, org: string | undefined): Partial<OrgConfig> {
  if (!data || typeof data !== 'object') return {};
  const record = data as Record<string, unknown>;
  if (record.orgs && typeof record.orgs === 'object') {
    const orgs = record.orgs as Record<string, unknown>;
    const name = org ?? (typeof record.defaultOrg === 'string' ? record.defaultOrg : undefined);
    const value = name ? orgs[name] : undefined;
    return value && typeof value === 'object' ? (value as Partial<OrgConfig>) : {};
  }
  return org ? {} : (record as Partial<OrgConfig>);
}

/** `sf-setup config`: write or update .sfconnect.json from flags. */
export async function runConfig(options: ConfigOptions, ctx: CommandContext): Promise<number> {
  if (options.sandbox && options.tokenUrl) {
    throw new UserError('config_invalid', '--sandbox and --token-url both set the token URL', { fix: 'give one of them' });
  }
  const tokenUrl = options.tokenUrl ?? (options.sandbox ? SANDBOX_TOKEN_URL : undefined);
  const file = path.resolve(ctx.cwd, options.config);
  const clientId = options.clientId?.trim();
  if (options.clientId !== undefined && clientId !== options.clientId && !options.json) {
    ctx.stderr.write(`${ctx.errStyle.yellow('!')} The Consumer Key had surrounding whitespace (a copy-paste classic); trimmed it.\n`);
  }
  const result = await saveOrgConfig({
    file,
    org: options.org,
    allowUntrustedHost: options.allowUntrustedHost,
    values: {
      clientId,
      username: options.username?.trim(),
      tokenUrl,
      instanceUrl: options.instanceUrl,
      apiVersion: options.apiVersion,
      privateKeyPath: options.privateKeyPath,
      audience: options.audience,
    },
  });
  // What the doctor would warn about, said while the values are being typed.
  const values = result.values;
  const audience = values.audience ?? deriveAudience(values.tokenUrl!);
  const warnings = [...result.warnings, environmentMismatch(values.tokenUrl!, values.username!), audienceMismatch(values.tokenUrl!, audience)].filter((w): w is string => Boolean(w));
  const keyPath = resolveConfigPath(values.privateKeyPath ?? './certs/server.key', path.dirname(result.path));
  const keyMissing = !existsSync(keyPath);
  if (options.json) {
    printJson(ctx, { ok: true, path: result.path, created: result.created, changed: result.changed, gitignoreAdded: result.gitignoreAdded, warnings, keyMissing });
    return EXIT.ok;
  }
  const rel = path.relative(ctx.cwd, result.path) || result.path;
  const { green, dim } = ctx.style;
  if (!result.created && result.changed.length === 0) {
    print(ctx, `${green('✓')} ${rel} already has these values; nothing changed.`);
  } else {
    print(ctx, `${green('✓')} ${result.created ? 'Wrote' : 'Updated'} ${rel}${result.changed.length ? dim(` (${result.changed.join(', ')})`) : ''}`);
  }
  const kind = classifyTokenHost(values.tokenUrl!);
  print(ctx, dim(`  Token URL: ${values.tokenUrl} (${kind}); audience: ${audience}`));
  if (result.gitignoreAdded.length) print(ctx, dim(`  Added ${result.gitignoreAdded.join(', ')} to .gitignore`));
  for (const warning of warnings) print(ctx, `${ctx.style.yellow('!')} ${warning}`);
  const keyShown = path.relative(ctx.cwd, keyPath) || keyPath;
  if (!keyMissing) print(ctx, 'Next: `sf-setup test`');
  else if (path.basename(keyPath) === 'server.key') {
    const dir = path.relative(ctx.cwd, path.dirname(keyPath)) || '.';
    print(ctx, `Next: there is no key at ${keyShown} yet: \`sf-setup keygen${dir === 'certs' ? '' : ` --dir ${dir}`}\`, upload its certificate to the app, then \`sf-setup test\``);
  } else print(ctx, `Next: there is no key at ${keyShown} yet: put the private key there (or point --private-key-path at it), then \`sf-setup test\``);
  return EXIT.ok;
}
