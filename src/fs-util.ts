import { randomBytes } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { UserError } from './errors.js';

const WRITE_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'the path is a folder',
};

/** Turn an operating-system write error into a UserError naming the file; anything else is rethrown. */
export function writeError(error: unknown, file: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && WRITE_ERRORS[code]) {
    return new UserError('write_failed', `cannot write ${file}: ${WRITE_ERRORS[code]} (${code})`, {
      fix: code === 'ENOSPC' || code === 'EDQUOT' ? 'free some disk space and run again' : `check the permissions of ${path.dirname(file)}, or run from a folder you can write to`,
      cause: error,
    });
  }
  return error;
}

export interface AtomicWriteOptions {
  /** File mode of the new file (applied before it becomes visible). Default 0o644. */
  mode?: number;
}

/**
 * Write a file so that readers see either the old content or the new, never a half-written file:
 * write a temporary file in the same folder, fsync it, then rename it over the target. If anything
 * fails (or the process is killed), the target is untouched and the temporary file is removed when possible.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const mode = options.mode ?? 0o644;
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    // 'wx': never follow or reuse an existing path for the temporary file.
    handle = await fs.open(tmp, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY, mode);
    await handle.writeFile(data);
    // The umask may have narrowed the mode; make it exact (0600 keys must be exactly 0600).
    await handle.chmod(mode);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(tmp, file);
  } catch (error) {
    if (handle) await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw writeError(error, file);
  }
}

/** A timestamp safe for file names: 20261122T182400Z. */
export function fileTimestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export async function pathExists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}
