import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { DEFAULT_CERTIFICATE_FILE, DEFAULT_KEY_FILE } from './defaults.js';

/**
 * Whether a key and certificate may be written where they would go. A small module of its own: keygen asks it
 * before starting the key search, and loads the writing code (write.ts) while the search runs.
 */

/** The folder, and the two file names, that writeKeyAndCertificate would write. */
export interface PairLocation {
  dir: string;
  /** Default `server.key`. A file name, not a path. */
  keyFile?: string;
  /** Default `server.crt`. A file name, not a path. */
  certificateFile?: string;
  /** Replace existing files (they are backed up). */
  force?: boolean;
}

/**
 * Would writeKeyAndCertificate refuse these files? Throws the same UserError `key_exists` it would, so that a
 * caller can refuse before spending a key generation (seconds for 4096 bits) on a pair it cannot write. The
 * write checks again under the folder's lock.
 */
export async function checkPairWritable(options: PairLocation): Promise<void> {
  const dir = path.resolve(options.dir);
  const files = [options.keyFile ?? DEFAULT_KEY_FILE, options.certificateFile ?? DEFAULT_CERTIFICATE_FILE].map((name) => path.join(dir, checkFileName(name)));
  await existingFiles(files, options.force);
}

/** The files of these that exist, with their modes; refuses a folder in their place, and existing files without force. */
export async function existingFiles(files: string[], force: boolean | undefined): Promise<{ file: string; mode: number }[]> {
  const existing: { file: string; mode: number }[] = [];
  for (const file of files) {
    const stat = await fs.lstat(file).catch(() => undefined);
    if (!stat) continue;
    if (stat.isDirectory()) {
      throw new UserError('key_exists', `${file} is a folder; sf-setup will not replace it`, { fix: 'move that folder away, or write to another folder (--dir)' });
    }
    existing.push({ file, mode: stat.mode & 0o777 });
  }
  if (existing.length > 0 && !force) {
    const names = existing.map((entry) => entry.file);
    throw new UserError('key_exists', `${names.join(' and ')} already ${names.length > 1 ? 'exist' : 'exists'}; sf-setup never overwrites a key or certificate unless told to`, {
      fix: names.length > 1 ? 'pass --force to replace them (the old files are backed up)' : 'pass --force to replace it (the old file is backed up)',
    });
  }
  return existing;
}

/** A plain file name (no folder part); anything else is a programming error. */
export function checkFileName(name: string): string {
  if (name === '' || name === '.' || name === '..' || /[\\/]/.test(name) || name.includes('\0')) {
    throw new TypeError(`writeKeyAndCertificate: "${name}" is not a plain file name`);
  }
  return name;
}
