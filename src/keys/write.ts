import { randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { acquireLock, checkNotInterrupted, fileChange, fileTimestamp, writeError, writeFileAtomic } from '../fs-util.js';
import { checkFileName, existingFiles } from './existing.js';
import { DEFAULT_CERTIFICATE_FILE, DEFAULT_KEY_FILE } from './defaults.js';
import type { GeneratedKeyPair } from './generate.js';
import { loadCertificate } from './load-certificate.js';
import { loadPrivateKey } from './load-key.js';
import { keyMatchesCertificate } from './match.js';

/** Where a pair was written, and what it is. */
export interface WrittenKeyPair {
  /** Absolute path of the private key (mode 0600). */
  keyPath: string;
  /** Absolute path of the certificate (mode 0644): the file to upload to the app. */
  certificatePath: string;
  /** Absolute paths of the previous files, kept as `<name>.<timestamp>.bak` (only with force). */
  backups: string[];
  /** SHA-256 fingerprint of the certificate, `AB:CD:...`. */
  fingerprint: string;
  notAfter: Date;
  bits: number;
}

export interface WriteKeyPairOptions {
  /** Folder for both files; created with mode 0700 when missing (an existing folder's mode is left alone). */
  dir: string;
  /** Default `server.key`, as in the seed guide. A file name, not a path. */
  keyFile?: string;
  /** Default `server.crt`. A file name, not a path. */
  certificateFile?: string;
  /** Replace existing files, keeping the old ones as backups. Without it an existing file is an error. */
  force?: boolean;
  /** Clock for backup names (tests). */
  now?: Date;
}

const KEY_MODE = 0o600;
const CERTIFICATE_MODE = 0o644;
const DIR_MODE = 0o700;

/**
 * Write a key and its certificate into a folder: key 0600, certificate 0644, folder 0700 when created.
 *
 * Refuses (UserError `key_exists`) when either file exists, unless `force`; then the old files are kept as
 * `<name>.<timestamp>.bak` with their mode (a hard link, or a copy where links are not supported), so the
 * old pair stays usable until the new certificate is uploaded.
 *
 * Never leaves a mismatched pair on a failure it can see: the pair is checked before anything is written,
 * both new files are written completely (fsynced, final modes) under temporary names first, and only then
 * renamed over the old names, key first. If the certificate's rename fails, the key's is undone. Only a
 * crash between the two renames (microseconds apart) could leave the new key beside the old certificate;
 * the backups hold the old pair either way.
 */
export async function writeKeyAndCertificate(pair: GeneratedKeyPair, options: WriteKeyPairOptions): Promise<WrittenKeyPair> {
  const dir = path.resolve(options.dir);
  const keyFile = checkFileName(options.keyFile ?? DEFAULT_KEY_FILE);
  const certificateFile = checkFileName(options.certificateFile ?? DEFAULT_CERTIFICATE_FILE);
  if (keyFile === certificateFile) throw new TypeError('writeKeyAndCertificate: keyFile and certificateFile must differ');

  // Check the pair before touching the disk: a pair that does not match is worse than none.
  const key = loadPrivateKey({ text: pair.privateKeyPem, sourceLabel: 'the new private key' });
  const certificate = loadCertificate({ data: pair.certificatePem });
  if (!keyMatchesCertificate(key, certificate)) {
    throw new UserError('key_cert_mismatch', 'the private key and certificate to write do not belong together; nothing was written', {
      fix: 'generate them together: `sf-setup keygen`',
    });
  }

  return fileChange(async () => {
    checkNotInterrupted();
    await ensureFolder(dir);
    const unlock = await lockFolder(dir);
    try {
      return await replacePair(pair, { dir, keyFile, certificateFile, force: options.force, now: options.now, bits: key.bits, certificate });
    } finally {
      await unlock();
    }
  });
}

/** The writing itself, under the folder's lock: refuse or back up what exists, stage both files, rename both. */
async function replacePair(
  pair: GeneratedKeyPair,
  options: { dir: string; keyFile: string; certificateFile: string; force?: boolean; now?: Date; bits: number; certificate: { fingerprint256: string; notAfter: Date } },
): Promise<WrittenKeyPair> {
  const { dir, certificate } = options;
  const keyPath = path.join(dir, options.keyFile);
  const certificatePath = path.join(dir, options.certificateFile);
  const existing = await existingFiles([keyPath, certificatePath], options.force);

  const stagedKey = stagingPath(keyPath);
  const stagedCertificate = stagingPath(certificatePath);
  const backups: string[] = [];
  try {
    await writeFileAtomic(stagedKey, pair.privateKeyPem, { mode: KEY_MODE });
    await writeFileAtomic(stagedCertificate, pair.certificatePem, { mode: CERTIFICATE_MODE });
    // Last point where an interrupt leaves the old pair as it was; from here both renames run to the end.
    checkNotInterrupted();

    const stamp = fileTimestamp(options.now);
    const backupOf = new Map<string, string>();
    for (const entry of existing) {
      const backup = await backUp(entry.file, entry.mode, stamp);
      backups.push(backup);
      backupOf.set(entry.file, backup);
    }

    await fs.rename(stagedKey, keyPath);
    try {
      await fs.rename(stagedCertificate, certificatePath);
    } catch (error) {
      // Undo the key so the old pair (or nothing) is left, never new key + old certificate.
      const keyBackup = backupOf.get(keyPath);
      if (keyBackup) await fs.rename(keyBackup, keyPath).catch(() => undefined);
      else await fs.rm(keyPath, { force: true }).catch(() => undefined);
      const certificateBackup = backupOf.get(certificatePath);
      if (certificateBackup) await fs.rm(certificateBackup, { force: true }).catch(() => undefined);
      backups.length = 0;
      throw error;
    }
  } catch (error) {
    for (const backup of backups) await fs.rm(backup, { force: true }).catch(() => undefined);
    throw error;
  } finally {
    await fs.rm(stagedKey, { force: true }).catch(() => undefined);
    await fs.rm(stagedCertificate, { force: true }).catch(() => undefined);
  }
  await syncFolder(dir);

  return {
    keyPath,
    certificatePath,
    backups,
    fingerprint: certificate.fingerprint256,
    notAfter: certificate.notAfter,
    bits: options.bits,
  };
}

const LOCK_FILE = '.sf-setup-keys.lock';

/**
 * One writer of keys per folder at a time. Without it two runs at once (two terminals, a wizard and a
 * script) both see no key, both write, and the renames can interleave into one run's key beside the other's
 * certificate, while each reports success.
 */
function lockFolder(dir: string): Promise<() => Promise<void>> {
  return acquireLock(path.join(dir, LOCK_FILE), {
    target: dir,
    waitMs: 0,
    busy: (owner, lock) =>
      new UserError('key_busy', `another sf-setup${owner ? ` (pid ${owner})` : ''} is writing a key in ${dir} right now; nothing was written`, {
        fix: `let it finish, then run again (check the folder first: the other run may already have made the key); if no sf-setup is running, delete ${lock}`,
      }),
  });
}

/** Create the folder 0700 (and any missing parents); leave an existing folder's mode alone. */
async function ensureFolder(dir: string): Promise<void> {
  const stat = await fs.stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    if (error.code === 'ENOTDIR') throw partIsAFile(dir);
    throw error;
  });
  if (stat) {
    if (!stat.isDirectory()) {
      throw new UserError('key_exists', `${dir} exists and is not a folder`, { fix: 'write the key to another folder (--dir), or move that file away' });
    }
    return;
  }
  try {
    await makeFolders(dir);
    // The umask may have narrowed 0700 further (fine) but never widens it; make it exact anyway.
    await fs.chmod(dir, DIR_MODE);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' || code === 'EEXIST') throw partIsAFile(dir);
    // Its parent exists (makeFolders starts from one) but takes no new folder: /proc, a read-only mount.
    if (code === 'ENOENT') {
      const failed = (error as NodeJS.ErrnoException).path ?? dir;
      throw new UserError('key_exists', `${failed} cannot be created: ${path.dirname(failed)} does not take new folders (ENOENT)`, { fix: 'write the key to another folder (--dir)' });
    }
    throw writeError(error, dir);
  }
}

/**
 * mkdir -p, one level at a time from the nearest folder that exists. Node's own recursive mkdir spins
 * forever under a pseudo-filesystem such as /proc ("keygen --dir /proc/x" never ended); one level at a time,
 * the kernel's refusal comes back as an error.
 */
async function makeFolders(dir: string): Promise<void> {
  const missing: string[] = [];
  let current = path.resolve(dir);
  for (;;) {
    const exists = await fs.stat(current).then(() => true, () => false);
    if (exists) break;
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const folder of missing) {
    await fs.mkdir(folder, { mode: DIR_MODE }).catch(async (error: NodeJS.ErrnoException) => {
      // Made meanwhile by another run: fine. Anything else there (a file, a symlink to nowhere) is not a folder.
      if (error.code !== 'EEXIST' || !(await fs.stat(folder).then((s) => s.isDirectory(), () => false))) throw error;
    });
  }
}

function partIsAFile(dir: string): UserError {
  return new UserError('key_exists', `${dir} cannot be created: part of that path is a file (or a link to nothing)`, { fix: 'write the key to another folder (--dir)' });
}

/** A hidden temporary name beside the target. */
function stagingPath(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.new`);
}

/**
 * Keep the current file as `<name>.<timestamp>.bak` with the same mode, without ever removing the original
 * name: a hard link (same inode, same mode), else an exclusive copy then chmod. A numeric suffix avoids
 * clobbering an earlier backup made in the same second.
 */
async function backUp(file: string, mode: number, stamp: string): Promise<string> {
  for (let attempt = 1; attempt < 100; attempt++) {
    const backup = `${file}.${stamp}${attempt === 1 ? '' : `-${attempt}`}.bak`;
    try {
      await fs.link(file, backup);
      return backup;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code === 'ENOENT') throw error;
    }
    try {
      await fs.copyFile(file, backup, fsConstants.COPYFILE_EXCL);
      await fs.chmod(backup, mode);
      return backup;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
  }
  throw new Error(`cannot find a free backup name for ${file}`);
}

/** Make the renames durable (best effort: not every platform can fsync a folder). */
async function syncFolder(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows and some file systems refuse; the data itself was fsynced by writeFileAtomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
