import { randomBytes } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { EXIT, UserError } from './errors.js';

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

const WRITE_FIXES: Record<string, (file: string) => string> = {
  ENOSPC: () => 'free some disk space and run again',
  EDQUOT: () => 'free some disk space and run again',
  ENOENT: (file) => `create ${path.dirname(file)} first, or name a file in a folder that exists`,
  ENOTDIR: () => 'name a file in a folder that exists',
  EISDIR: (file) => `name a file, e.g. ${path.join(file, 'report.md')}`,
};

/**
 * Fail now, before the work whose result goes to `file`, if it clearly cannot be written: its folder is
 * missing or not writable, or the path is a folder. Throws the UserError writeError gives.
 */
export async function checkWritableFile(file: string): Promise<void> {
  try {
    if ((await fs.stat(file).catch(() => undefined))?.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    const folder = path.dirname(file);
    if (!(await fs.stat(folder)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    await fs.access(folder, fsConstants.W_OK);
  } catch (error) {
    throw writeError(error, file);
  }
}

/** Turn an operating-system write error into a UserError naming the file; anything else is rethrown. */
export function writeError(error: unknown, file: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && WRITE_ERRORS[code]) {
    return new UserError('write_failed', `cannot write ${file}: ${WRITE_ERRORS[code]} (${code})`, {
      fix: WRITE_FIXES[code]?.(file) ?? `check the permissions of ${path.dirname(file)}, or run from a folder you can write to`,
      cause: error,
    });
  }
  return error;
}

export interface AtomicWriteOptions {
  /** File mode of the new file (applied before it becomes visible). Default 0o644. */
  mode?: number;
  /**
   * Write through a symbolic link at `file` (a shared config, a dotfiles .gitignore) instead of replacing the
   * link. Only for files the user keeps: a report or a key must never follow a link someone planted.
   */
  followLinks?: boolean;
}

/**
 * File changes in flight, so an interrupt (Ctrl+C, SIGTERM) can let them finish or undo themselves instead
 * of dying between a temporary file and its rename. Only src/cli.ts reacts to signals: it calls
 * {@link settleFileChanges} and exits once it resolves.
 */
const inFlight = new Set<Promise<unknown>>();
let stopping = false;

/** Thrown by a file change that was asked to stop before it made anything visible. */
export function interruptedError(): UserError {
  return new UserError('interrupted', 'interrupted: nothing was changed', { exitCode: EXIT.interrupted });
}

/** Throw if an interrupt asked file changes to stop. Call before each step that would make something visible. */
export function checkNotInterrupted(): void {
  if (stopping) throw interruptedError();
}

/**
 * Run a file change (several steps: temporary files, renames) as one unit an interrupt waits for. The change
 * itself calls {@link checkNotInterrupted} where stopping is still clean and removes its temporary files.
 */
export function fileChange<T>(change: () => Promise<T>): Promise<T> {
  const running = change();
  inFlight.add(running);
  const done = () => inFlight.delete(running);
  running.then(done, done);
  return running;
}

/**
 * Ask every file change in flight to stop at its next clean point and wait until each has finished or
 * cleaned up (its temporary files removed). New changes refuse to start from then on.
 */
export async function settleFileChanges(): Promise<void> {
  stopping = true;
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
}

/**
 * Write a file so that readers see either the old content or the new, never a half-written file:
 * write a temporary file in the same folder, fsync it, then rename it over the target. If anything
 * fails, or an interrupt arrives before the rename, the target is untouched and the temporary file is
 * removed (only SIGKILL or a power cut can leave a hidden `.name.*.tmp` behind, never a damaged target).
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  return fileChange(async () => {
    checkNotInterrupted();
    const mode = options.mode ?? 0o644;
    // A symbolic link (a shared config, a dotfiles .gitignore) is written through: renaming over the link
    // would replace it with a file and leave its target unchanged.
    const target = options.followLinks ? await linkTarget(file) : file;
    const dir = path.dirname(target);
    const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
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
      checkNotInterrupted();
      await fs.rename(tmp, target);
    } catch (error) {
      if (handle) await handle.close().catch(() => undefined);
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      throw writeError(error, file);
    }
  });
}

/** The file a path names: a symbolic link's target (followed to the end, even when it does not exist yet), else the path. */
async function linkTarget(file: string): Promise<string> {
  let current = file;
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      link = await fs.readlink(current);
    } catch {
      return current; // not a link (or nothing there): write here
    }
    current = path.resolve(path.dirname(current), link);
  }
  return current;
}

/** A lock file left by a process that died before writing its pid is stale after this long. */
const EMPTY_LOCK_STALE_MS = 10_000;
/**
 * Any lock is stale after this long: sf-setup holds one for milliseconds, and a pid left by a killed run may
 * belong to another process by now (containers reuse pids from 1 up).
 */
const LOCK_STALE_MS = 10 * 60_000;

export interface LockOptions {
  /** The file the lock protects, named in error messages. */
  target: string;
  /** How long to wait for another holder to finish; 0 refuses at once. */
  waitMs: number;
  /** The error when the lock stays held (owner: its pid, when known; lock: the lock file, to name in the fix). */
  busy(owner: number | undefined, lock: string): Error;
}

/**
 * Take an exclusive lock file (created with O_EXCL, holding our pid) for a read-modify-write that must not
 * interleave with another sf-setup's. A lock whose owner is dead (SIGKILL, a crash) is taken over. Returns
 * the release function. Take it inside {@link fileChange}, so an interrupt waits for the release too.
 */
export async function acquireLock(lock: string, options: LockOptions): Promise<() => Promise<void>> {
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    try {
      const handle = await fs.open(lock, 'wx', 0o600);
      try {
        await handle.writeFile(String(process.pid));
      } catch (error) {
        // A full disk can refuse even the pid: leave no lock behind.
        await handle.close().catch(() => undefined);
        await fs.rm(lock, { force: true }).catch(() => undefined);
        throw writeError(error, options.target);
      }
      await handle.close();
      return () => fs.rm(lock, { force: true }).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError(error, options.target);
    }
    const owner = Number((await fs.readFile(lock, 'utf8').catch(() => '')).trim()) || undefined;
    const stat = await fs.stat(lock).catch(() => undefined);
    // Gone since our open (its holder released it): try again; never judge (and remove) a lock we cannot see.
    if (!stat) continue;
    const age = Date.now() - stat.mtimeMs;
    const held = owner ? (owner === process.pid || processAlive(owner)) && age < LOCK_STALE_MS : age < EMPTY_LOCK_STALE_MS;
    if (!held) {
      await fs.rm(lock, { force: true });
      continue;
    }
    if (Date.now() >= deadline) throw options.busy(owner, lock);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
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
