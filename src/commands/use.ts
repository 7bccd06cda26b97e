import path from 'node:path';
import { setDefaultOrg } from '../config/index.js';
import { EXIT } from '../errors.js';
import { print, type CommandContext } from './context.js';

/** `sf-setup use NAME`: set defaultOrg. */
export async function runUse(name: string, options: { config: string }, ctx: CommandContext): Promise<number> {
  const file = path.resolve(ctx.cwd, options.config);
  await setDefaultOrg(file, name);
  print(ctx, `${ctx.style.green('✓')} Default org is now "${name}" (${path.relative(ctx.cwd, file) || file}).`);
  return EXIT.ok;
}
