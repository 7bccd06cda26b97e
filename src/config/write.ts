import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { acquireLock, fileChange, fileTimestamp, writeError, writeFileAtomic } from '../fs-util.js';
import { displayPath, readConfigFile, type RawConfigFile } from './load.js';
import type { OrgConfig } from './types.js';
import { ORG_FIELDS } from './validate.js';

export interface ConfigUpdate {
  /** Org name in a multi-org file; omitted: the single-org form (or the default org of a multi-org file). */
  org?: string;
  values: Partial<OrgConfig>;
}

export interface WriteConfigResult {
  path: string;
  created: boolean;
  /** Fields whose value changed. */
  changed: string[];
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

/** Seed order first, then any other keys in their existing order. */
function ordered(section: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of ORG_FIELDS) if (section[field] !== undefined) out[field] = section[field];
  for (const [key, value] of Object.entries(section)) if (!(key in out) && value !== undefined) out[key] = value;
  return out;
}

/**
 * Refuse to rewrite a file holding a private key anywhere (its top level or any org): rewriting would keep
 * the key in the file, and dropping it would lose it. The user moves it first.
 */
function refuseKeyInFile(data: unknown): void {
  const record = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  const orgs = record.orgs && typeof record.orgs === 'object' ? Object.values(record.orgs as Record<string, unknown>) : [];
  if ([record, ...orgs].some((section) => section && typeof section === 'object' && 'privateKey' in section)) {
    throw new UserError('config_invalid', 'the config file holds a private key ("privateKey"); sf-setup does not rewrite a file with a key in it', {
      fix: 'save the key as certs/server.key (chmod 600), delete the "privateKey" field from the file, then run the command again',
    });
  }
}

function merge(existing: unknown, values: Partial<OrgConfig>, changed: string[]): Record<string, unknown> {
  const isNew = !existing || typeof existing !== 'object' || Array.isArray(existing) || Object.keys(existing).length === 0;
  const base = isNew ? {} : { ...(existing as Record<string, unknown>) };
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || key === 'privateKey') continue; // a key never goes into the file
    if (JSON.stringify(base[key]) !== JSON.stringify(value)) changed.push(key);
    base[key] = value;
  }
  // An existing file keeps its own field order; a new section gets the seed's.
  return isNew ? ordered(base) : base;
}

/**
 * Write or update a config file atomically, keeping fields it does not know and other orgs. Writing a named
 * org into a single-org file turns it into the multi-org form, the existing settings becoming org "default".
 * If the file changes on disk while we work (since `basedOn`, the caller's own read, when given), nothing
 * is written (`config_changed`).
 */
export async function writeConfig(file: string, update: ConfigUpdate, basedOn?: RawConfigFile): Promise<WriteConfigResult> {
  // A caller that decided the values from its own earlier read passes that read: a change made since then
  // (an editor, a second run) must stop the write, not be merged over with stale values.
  const raw = basedOn ?? (await readConfigFile(file));
  if (raw.exists) refuseKeyInFile(raw.data);
  const changed: string[] = [];
  let data: Record<string, unknown>;
  if (!raw.exists) {
    data = update.org ? { defaultOrg: update.org, orgs: { [update.org]: merge({}, update.values, changed) } } : merge({}, update.values, changed);
  } else {
    if (!raw.data || typeof raw.data !== 'object' || Array.isArray(raw.data)) {
      throw new UserError('config_invalid', `${file} does not hold a JSON object; not overwriting it`, { fix: 'fix or remove the file, then run again' });
    }
    data = { ...(raw.data as Record<string, unknown>) };
    if (raw.multiOrg) {
      const name = update.org ?? raw.defaultOrg ?? (raw.orgNames.length === 1 ? raw.orgNames[0] : undefined);
      if (!name) throw new UserError('config_invalid', `${file} has several orgs; say which one to write`, { fix: `pass --org ${raw.orgNames[0] ?? 'NAME'}` });
      const orgs = { ...(data.orgs as Record<string, unknown>) };
      orgs[name] = merge(orgs[name], update.values, changed);
      data.orgs = orgs;
      if (!data.defaultOrg) data.defaultOrg = name;
    } else if (update.org) {
      const hasSettings = Object.keys(data).length > 0;
      data = { defaultOrg: hasSettings ? 'default' : update.org, orgs: { ...(hasSettings ? { default: data } : {}), [update.org]: merge({}, update.values, changed) } };
    } else {
      data = merge(data, update.values, changed);
    }
  }
  const text = `${JSON.stringify(data, null, 2)}\n`;
  const mode = raw.exists ? (await fs.stat(file)).mode & 0o777 : 0o644;
  const written = await replaceUnchanged(file, raw.text, text, mode);
  return { path: file, created: written && !raw.exists, changed: written ? changed : [] };
}

/**
 * Write `text` over the config only if it still holds what we read (`expected`, undefined for no file),
 * under a lock so that a second sf-setup cannot slip its write between our check and our rename. Someone
 * (an editor, a second run) changed the file since we read it: do not overwrite their change. Returns false
 * when the file already holds `text`.
 */
function replaceUnchanged(file: string, expected: string | undefined, text: string, mode: number): Promise<boolean> {
  return fileChange(async () => {
    const release = await acquireLock(`${file}.lock`, {
      target: file,
      waitMs: 5000,
      busy: (owner, lock) =>
        new UserError('config_changed', `another sf-setup${owner ? ` (pid ${owner})` : ''} is updating ${file}; nothing was written`, {
          fix: `let it finish, then run the command again; if no sf-setup is running, delete ${lock}`,
        }),
    });
    try {
      const now = await fs.readFile(file, 'utf8').catch(() => undefined);
      if (hash(now?.replace(/^\uFEFF/, '') ?? '') !== hash(expected ?? '')) {
        throw new UserError('config_changed', `${file} changed while sf-setup was updating it; nothing was written`, { fix: 'run the command again' });
      }
      if (now !== undefined && now === text) return false;
      await writeFileAtomic(file, text, { mode, followLinks: true });
      return true;
    } finally {
      await release();
    }
  });
}

/** Set defaultOrg of a multi-org file (`sf-setup use NAME`). */
export async function setDefaultOrg(file: string, name: string): Promise<void> {
  const raw = await readConfigFile(file);
  if (!raw.exists) throw new UserError('config_missing', `${file} does not exist`, { fix: 'run `sf-setup config --org NAME ...` first' });
  if (!raw.multiOrg) throw new UserError('config_invalid', `${path.basename(file)} holds a single org; there is nothing to choose`, { fix: 'write a named org with `sf-setup config --org NAME ...`' });
  if (!raw.orgNames.includes(name)) {
    throw new UserError('config_invalid', `no org named "${name}" (the config has: ${raw.orgNames.join(', ')})`, { fix: `use one of: ${raw.orgNames.join(', ')}` });
  }
  refuseKeyInFile(raw.data);
  const data = { ...(raw.data as Record<string, unknown>), defaultOrg: name };
  const mode = (await fs.stat(file)).mode & 0o777;
  await replaceUnchanged(file, raw.text, `${JSON.stringify(data, null, 2)}\n`, mode);
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/\u0000/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** True when a .gitignore line already covers the path (exact, rooted, a parent folder, or a simple glob). */
function covers(line: string, rawEntry: string): boolean {
  // An entry of our own may be rooted ("/*.key", for a key in the top folder): compare it without the slash.
  const entry = rawEntry.replace(/^\//, '');
  let pattern = line.trim();
  if (!pattern || pattern.startsWith('#') || pattern.startsWith('!')) return false;
  const rooted = pattern.startsWith('/');
  pattern = pattern.replace(/^\//, '');
  const dirOnly = pattern.endsWith('/');
  pattern = pattern.replace(/\/$/, '');
  const parts = entry.split('/');
  const candidates: string[] = [];
  for (let i = 1; i <= parts.length; i++) candidates.push(parts.slice(0, i).join('/'));
  const re = globToRegExp(pattern);
  return candidates.some((candidate, index) => {
    const isDir = index < candidates.length - 1;
    if (dirOnly && !isDir) return false;
    if (re.test(candidate)) return true;
    // A pattern without a slash matches a name at any depth.
    return !rooted && !pattern.includes('/') && re.test(candidate.split('/').pop()!);
  });
}

/**
 * The .gitignore lines that keep a private key out of git, with the files sf-setup writes beside it: the key
 * itself, the other keys in its folder (`rotate` writes server-20261202.key) and the backups `--force` keeps
 * (server.key.20261202T100713Z.bak). `keyRel` is the key's path from the .gitignore's folder, with slashes.
 */
export function keyIgnoreEntries(keyRel: string): string[] {
  const entry = keyRel.replace(/\\/g, '/').replace(/^\.\//, '');
  const slash = entry.lastIndexOf('/');
  // Rooted at the key's folder, so another folder's *.key (or a Keynote file) is not ignored with it.
  const folder = slash < 0 ? '/' : `${entry.slice(0, slash + 1)}`;
  const name = entry.slice(slash + 1);
  // Only an extension that names nothing but keys gets a wildcard: "*.txt" or "*.pem" would hide other files
  // (a requirements.txt, the certificates). rotate's new keys end in .key.
  const extension = /\.(key|p8)$/i.exec(name)?.[0];
  if (extension) return [`${folder}*${extension}`, `${folder}*${extension}.*.bak`, entry];
  return [entry, `${entry}.*.bak`, `${folder}*.key`];
}

/**
 * Git-ignore a key sf-setup wrote (with the keys and backups beside it) in `dir`'s .gitignore, and `also`
 * (the config file); the lines added. A key outside `dir` cannot be ignored from there.
 */
export async function gitignoreKey(dir: string, keyPath: string, also: string[] = []): Promise<string[]> {
  const rel = path.relative(dir, keyPath);
  const inside = !rel.startsWith('..') && !path.isAbsolute(rel);
  return (await ensureGitignore(dir, [...(inside ? keyIgnoreEntries(rel.split(path.sep).join('/')) : []), ...also])).added;
}

const MAX_GITIGNORE_BYTES = 8 * 1024 * 1024;

/**
 * Move a config that cannot be read (not JSON) out of the way, as `<file>.<timestamp>.bak`, so a new one can
 * be written: nothing the user wrote is lost. Returns the backup's path.
 */
export function setAsideConfig(file: string): Promise<string> {
  return fileChange(async () => {
    const backup = `${file}.${fileTimestamp()}.bak`;
    await fs.rename(file, backup).catch((error: unknown) => {
      throw writeError(error, file);
    });
    return backup;
  });
}

/** Add entries to `<dir>/.gitignore` unless already covered; atomic; creates the file if needed. */
export async function ensureGitignore(dir: string, entries: string[]): Promise<{ path: string; added: string[] }> {
  const file = path.join(dir, '.gitignore');
  const stat = await fs.stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  // A folder or a FIFO (whose read would block for ever) cannot take lines; nor can a file of gigabytes.
  if (stat && (!stat.isFile() || stat.size > MAX_GITIGNORE_BYTES)) {
    const what = stat.isFile() ? `is ${stat.size} bytes, too big to be a .gitignore` : 'is not a regular file (a folder, a FIFO or a device)';
    throw new UserError('write_failed', `${displayPath(file)} ${what}`, { fix: 'rename or remove it, then run the command again (sf-setup adds the key to .gitignore)' });
  }
  const text = stat ? await fs.readFile(file, 'utf8') : '';
  const lines = text.split(/\r?\n/);
  const added: string[] = [];
  for (const raw of entries) {
    const entry = raw.replace(/\\/g, '/').replace(/^\.\//, '');
    if (!entry || entry.startsWith('../')) continue;
    if ([...lines, ...added].some((line) => covers(line, entry))) continue;
    added.push(entry);
  }
  if (added.length === 0) return { path: file, added };
  const header = text.includes('# sf-setup') ? [] : ['# sf-setup: private keys and local Salesforce config'];
  const prefix = text === '' ? '' : text.endsWith('\n') ? text : `${text}\n`;
  await writeFileAtomic(file, `${prefix}${[...header, ...added].join('\n')}\n`, { followLinks: true });
  return { path: file, added };
}
