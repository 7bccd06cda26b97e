import { readFileSync, statSync } from 'node:fs';
import { UserError } from '../errors.js';

/** A key or certificate is a few KB; anything over this is certainly the wrong file (and is not read whole). */
export const MAX_INPUT_BYTES = 1024 * 1024;

export interface ReadCodes {
  missing: string;
  invalid: string;
  /** "private key" or "certificate", for messages. */
  what: string;
  /** Fix for a missing file. */
  missingFix: string;
}

export interface ReadResult {
  data: Buffer;
  /** Permission bits of the file (e.g. 0o600). */
  mode: number;
}

/**
 * Read a key or certificate file, turning every file-system failure into a UserError that names the path
 * and says what was expected there.
 */
export function readInputFile(file: string, codes: ReadCodes): ReadResult {
  let size: number;
  let mode: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) {
      throw new UserError(codes.invalid, `${file} is a folder, not a ${codes.what} file`, {
        fix: `point at the ${codes.what} file inside it (e.g. ${file.replace(/[\\/]+$/, '')}/${codes.what === 'certificate' ? 'server.crt' : 'server.key'})`,
      });
    }
    if (!stat.isFile()) {
      throw new UserError(codes.invalid, `${file} is not a regular file (a device, socket or pipe)`, { fix: `point at the ${codes.what} file` });
    }
    size = stat.size;
    mode = stat.mode & 0o777;
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw fileError(error, file, codes);
  }
  if (size > MAX_INPUT_BYTES) {
    throw new UserError(codes.invalid, `${file} is ${Math.round(size / 1024)} KB; a ${codes.what} is a few KB, so this is another file`, {
      fix: `point at the ${codes.what} file (PEM text, -----BEGIN ...-----)`,
    });
  }
  try {
    return { data: readFileSync(file), mode };
  } catch (error) {
    throw fileError(error, file, codes);
  }
}

function fileError(error: unknown, file: string, codes: ReadCodes): UserError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new UserError(codes.missing, `${file} does not exist`, { fix: codes.missingFix });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new UserError(codes.invalid, `${file} cannot be read (permission denied)`, {
      fix: `run as the user who owns ${file}, or have its owner make it readable to you (keep a private key at chmod 600)`,
    });
  }
  if (code === 'EISDIR') {
    return new UserError(codes.invalid, `${file} is a folder, not a ${codes.what} file`, { fix: `point at the ${codes.what} file inside it` });
  }
  return new UserError(codes.invalid, `${file} cannot be read (${code ?? 'unknown error'})`, { fix: `check the path of the ${codes.what} file`, cause: error });
}
