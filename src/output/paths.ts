import path from 'node:path';

/** A file's path as the user should read it: from `cwd` when inside it, else as given. */
export function shownPath(cwd: string | undefined, file: string): string {
  const rel = cwd ? path.relative(cwd, file) : '';
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
