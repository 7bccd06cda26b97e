import path from 'node:path';
import { loadConfig, readConfigFile, setAsideConfig, ORG_FIELDS, type OrgConfig } from '../config/index.js';
import { DEFAULT_API_VERSION, saveOrgConfig, type SaveConfigResult } from '../commands/config.js';
import { createCertificateFor, createKeyPair, type CreatedKeyPair } from '../keys/create-pair.js';
import { DEFAULT_SUBJECT, type CertificateSubject } from '../keys/index.js';
import { getApiVersions } from '../salesforce/api.js';
import { runTokenTest } from '../salesforce/token-test.js';
import { detectKeys, detectProgress, type KeyFacts, type Progress, type ProgressOptions } from './progress.js';

/** What step 1 asks for. */
export interface KeyRequest {
  /** Folder for server.key and server.crt, relative to cwd. */
  dir: string;
  bits: 2048 | 3072 | 4096;
  days: number;
  subject: CertificateSubject;
  /** Replace existing files (the old ones are kept as backups). */
  force: boolean;
  /** File names in `dir` (default server.key and server.crt): a regenerated pair replaces the files found. */
  keyFile?: string;
  certificateFile?: string;
}

/**
 * Where step 1 writes a new pair and whether it replaces files: into the folder of the key found (the one
 * the config names), replacing it when either file of the pair exists (the old files are kept as .bak). The
 * one rule both front ends apply.
 */
export function keyTarget(found: Pick<KeyFacts, 'keyPath' | 'certificatePath' | 'keyExists' | 'certificateExists'>, cwd: string, keyDir: string): Pick<KeyRequest, 'dir' | 'force' | 'keyFile' | 'certificateFile'> {
  const force = found.keyExists || found.certificateExists;
  if (!force) return { dir: path.relative(cwd, path.dirname(found.keyPath)) || keyDir, force };
  // Replace the very files found, wherever they are (a key in the project folder itself, or one named
  // jwt.key), so the old ones are the ones kept as .bak and the config's paths stay right.
  const folder = path.dirname(found.keyPath);
  const together = path.dirname(found.certificatePath) === folder;
  return {
    dir: path.relative(cwd, folder) || '.',
    force,
    keyFile: path.basename(found.keyPath),
    certificateFile: together ? path.basename(found.certificatePath) : undefined,
  };
}

/** A successful token test, reduced to what the success screen shows. */
export interface TokenTestOutcome {
  instanceUrl: string;
  apiVersion: string;
  username: string;
  orgId?: string;
  userId?: string;
  latestApiVersion?: string;
}

/** What the file will look like and what changes, shown before writing. */
export interface ConfigPreview {
  path: string;
  exists: boolean;
  /** The JSON the file will hold (the org's section). */
  text: string;
  /** Fields whose value changes, with old and new values (an existing file only). */
  changes: { field: string; from: unknown; to: unknown }[];
  /** In a multi-org file: the org written (as writeConfig picks it), whether it is the default, how many orgs. */
  org?: { name: string; isDefault: boolean; count: number };
}

/** The line over the preview, one wording for both front ends; `rel` is the file as the user sees it. */
export function previewHeading(preview: ConfigPreview, rel: string): string {
  if (!preview.exists) return `${rel} will be created:`;
  const org = preview.org;
  if (!org) return `${rel} will change:`;
  const of = org.count > 1 ? ` of ${org.count} orgs` : '';
  return `${rel} will change org "${org.name}"${org.isDefault ? ` (the default${of})` : of ? ` (${of.trim()})` : ''}:`;
}

/** Lets a caller abandon work in progress (Ctrl+C): nothing is written after cancel. */
export interface Cancellation {
  cancelled: boolean;
}

/**
 * Everything the wizard does to the world, behind one interface so both front ends call the same code and
 * tests can substitute it (as `gh auth login` injects its HTTP client and prompter).
 */
export interface WizardServices {
  detectProgress(cwd: string, options: ProgressOptions): Promise<Progress>;
  /** Generate and write a key pair, like `sf-setup keygen`; returns undefined when cancelled before writing. */
  generateKeys(cwd: string, request: KeyRequest, cancel?: Cancellation): Promise<CreatedKeyPair | undefined>;
  previewConfig(file: string, values: Partial<OrgConfig>): Promise<ConfigPreview>;
  /** Validate and write atomically, like `sf-setup config`; also git-ignores the key and the config. */
  saveConfig(file: string, values: Partial<OrgConfig>): Promise<SaveConfigResult>;
  /** Move an unreadable config aside as .bak (its path is returned), so a new one can be written. */
  setAsideConfig(file: string): Promise<string>;
  /** A new certificate for a key whose certificate was lost (same public key: no new upload); then what step 1 sees. */
  certificateFor(keys: KeyFacts, days: number): Promise<KeyFacts>;
  /** The org's newest API version from `/services/data/` (no token needed), or undefined. */
  latestApiVersion(instanceUrl: string): Promise<string | undefined>;
  /** The live token test, like `sf-setup test`. Throws what runTokenTest throws. */
  tokenTest(cwd: string, configPath: string): Promise<TokenTestOutcome>;
}

/** The real services, as the non-interactive commands use them. */
export function defaultServices(env: NodeJS.ProcessEnv): WizardServices {
  return {
    detectProgress: (cwd, options) => detectProgress(cwd, { passphrase: env.SF_PRIVATE_KEY_PASSPHRASE || undefined, ...options }),
    // Ctrl+C during the spinner sets cancel: nothing is written.
    generateKeys: (cwd, request, cancel) => createKeyPair(cwd, { ...request, subject: { ...DEFAULT_SUBJECT, ...request.subject } }, cancel),
    previewConfig,
    saveConfig: (file, values) => saveOrgConfig({ file, values }),
    setAsideConfig,
    async certificateFor(keys, days) {
      const passphrase = env.SF_PRIVATE_KEY_PASSPHRASE || undefined;
      await createCertificateFor(keys.keyPath, keys.certificatePath, { days, passphrase });
      return detectKeys(keys.keyPath, keys.certificatePath, new Date(), passphrase);
    },
    async latestApiVersion(instanceUrl) {
      try {
        const versions = await getApiVersions(instanceUrl.replace(/\/+$/, ''), { timeoutMs: 4000, env });
        const latest = versions.at(-1);
        return latest ? `v${latest.version}` : undefined;
      } catch {
        // Unreachable or not Salesforce: the wizard falls back to the seed's version.
        return undefined;
      }
    },
    async tokenTest(cwd, configPath) {
      const config = await loadConfig({ cwd, configPath, env });
      const result = await runTokenTest(config.values, { timeoutMs: 10_000, env });
      return {
        instanceUrl: result.instanceUrl,
        apiVersion: result.apiVersion,
        username: result.user.username ?? config.values.username,
        orgId: result.user.orgId,
        userId: result.user.userId,
        latestApiVersion: result.latestApiVersion,
      };
    },
  };
}

/** The section saveOrgConfig would write, computed without writing (same defaults, same field order). */
export async function previewConfig(file: string, values: Partial<OrgConfig>): Promise<ConfigPreview> {
  const raw = await readConfigFile(file).catch(() => ({ exists: false, data: undefined, multiOrg: false, defaultOrg: undefined, orgNames: [] as string[] }) as const);
  let existing: Record<string, unknown> = {};
  // The org writeConfig will write: the default, else the only one.
  const orgName = raw.multiOrg ? (raw.defaultOrg ?? (raw.orgNames.length === 1 ? raw.orgNames[0] : undefined)) : undefined;
  if (raw.exists && raw.data && typeof raw.data === 'object') {
    const data = raw.data as Record<string, unknown>;
    existing = raw.multiOrg ? (((data.orgs as Record<string, unknown>)?.[orgName ?? ''] as Record<string, unknown>) ?? {}) : data;
  }
  const merged: Record<string, unknown> = { ...existing };
  for (const [field, value] of Object.entries(values)) if (value !== undefined) merged[field] = value;
  merged.authType = 'jwt';
  merged.algorithm = 'RS256';
  merged.apiVersion ??= DEFAULT_API_VERSION;
  const ordered: Record<string, unknown> = {};
  for (const field of ORG_FIELDS) if (merged[field] !== undefined) ordered[field] = merged[field];
  for (const [key, value] of Object.entries(merged)) if (!(key in ordered)) ordered[key] = value;
  const changes = raw.exists
    ? Object.keys(ordered)
        .filter((field) => JSON.stringify(existing[field]) !== JSON.stringify(ordered[field]))
        .map((field) => ({ field, from: existing[field], to: ordered[field] }))
    : [];
  const org = orgName ? { name: orgName, isDefault: raw.defaultOrg === orgName, count: raw.orgNames.length } : undefined;
  return { path: file, exists: raw.exists, text: JSON.stringify(ordered, null, 2), changes, ...(org ? { org } : {}) };
}
