import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * sf-setup's version, from its package.json: found by walking up from this module, so it works the same from
 * the TypeScript build (dist/src/...) and from the published bundle's chunks (dist/bundle/...).
 */
export function packageVersion(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'sf-setup' && pkg.version) return (cached = pkg.version);
    } catch {
      // keep climbing
    }
    const parent = path.dirname(dir);
    if (parent === dir) return (cached = 'unknown');
    dir = parent;
  }
}
