import path from 'node:path';
import { windowsPath } from '../config/validate.js';
import { EXIT, UserError } from '../errors.js';
import { createKeyPair } from '../keys/create-pair.js';
import { DEFAULT_KEY_DIR, DEFAULT_KEY_FILE } from '../keys/defaults.js';
import { DEFAULT_SUBJECT, parseSubject } from '../keys/subject.js';
import { shellWord } from '../output/shell.js';
import { print, printJson, type CommandContext } from './context.js';

export interface KeygenOptions {
  dir: string;
  bits: string;
  days: string;
  subject?: string;
  force?: boolean;
  json?: boolean;
}

export async function runKeygen(options: KeygenOptions, ctx: CommandContext): Promise<number> {
  const windows = windowsPath(options.dir);
  if (windows) throw new UserError('usage', `--dir ${windows.message}`, { fix: windows.fix.replace(/^write it with \/: /, 'use --dir ') });
  const subject = options.subject ? { ...DEFAULT_SUBJECT, ...parseSubject(options.subject) } : DEFAULT_SUBJECT;
  const written = await createKeyPair(ctx.cwd, { dir: options.dir, bits: Number(options.bits) as 2048 | 3072 | 4096, days: Number(options.days), subject, force: options.force });
  const rel = (p: string) => path.relative(ctx.cwd, p) || p;
  if (options.json) {
    printJson(ctx, {
      ok: true,
      privateKeyPath: written.keyPath,
      certificatePath: written.certificatePath,
      bits: written.bits,
      fingerprint: written.fingerprint,
      notAfter: written.notAfter.toISOString(),
      backups: written.backups,
      gitignoreAdded: written.gitignoreAdded,
    });
    return EXIT.ok;
  }
  const { green, dim, bold } = ctx.style;
  print(ctx, `${green('✓')} Private key   ${rel(written.keyPath)}  ${dim(`(RSA ${written.bits}, mode 0600)`)}`);
  print(ctx, `${green('✓')} Certificate   ${rel(written.certificatePath)}  ${dim(`(valid until ${written.notAfter.toISOString().slice(0, 10)})`)}`);
  print(ctx, dim(`  SHA-256 fingerprint: ${written.fingerprint}`));
  for (const backup of written.backups) print(ctx, dim(`  Backed up the old file to ${rel(backup)}`));
  if (written.gitignoreAdded.length) print(ctx, dim(`  Added ${written.gitignoreAdded.join(', ')} to .gitignore`));
  // Replacing a pair: the app still holds the old certificate, so tokens fail until the new one is uploaded.
  if (written.backups.some((backup) => backup.includes(path.basename(written.keyPath)))) {
    print(ctx, `${ctx.style.yellow('!')} Until the new certificate is uploaded, the app still has the old one: tokens signed with the new key are refused (invalid assertion). \`sf-setup rotate\` keeps the old key working until you switch.`);
  }
  print(ctx);
  // A key anywhere but config's default place must be named to config, or it would look in certs/ and
  // send the user off to make a second pair.
  const keyArg = path.resolve(ctx.cwd, DEFAULT_KEY_DIR, DEFAULT_KEY_FILE) === written.keyPath ? '' : ` --private-key-path ${shellWord(rel(written.keyPath))}`;
  print(ctx, `${bold('Next:')} upload ${rel(written.certificatePath)} to your app`);
  print(ctx, '  (App Manager > your app > Edit > Use digital signatures > Choose File), then run');
  print(ctx, `  \`sf-setup config --client-id <Consumer Key> --username <user>${keyArg}\` and \`sf-setup test\`.`);
  return EXIT.ok;
}

