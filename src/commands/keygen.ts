import path from 'node:path';
import { EXIT } from '../errors.js';
import { checkPairWritable } from '../keys/existing.js';
import { generateKeyAndCertificate } from '../keys/generate.js';
import { DEFAULT_SUBJECT, parseSubject } from '../keys/subject.js';
import type { WrittenKeyPair } from '../keys/write.js';
import { print, printJson, type CommandContext } from './context.js';

export interface KeygenOptions {
  dir: string;
  bits: string;
  days: string;
  subject?: string;
  force?: boolean;
  json?: boolean;
}

/** Generate, write (0600 key, 0644 certificate, 0700 folder) and git-ignore the key. Shared by keygen and the wizard. */
export async function createKeyPair(
  options: { dir: string; bits: 2048 | 3072 | 4096; days: number; subject?: string; force?: boolean },
  cwd: string,
): Promise<WrittenKeyPair & { gitignoreAdded: string[] }> {
  const subject = options.subject ? { ...DEFAULT_SUBJECT, ...parseSubject(options.subject) } : DEFAULT_SUBJECT;
  const dir = path.resolve(cwd, options.dir);
  // Refuse existing files before the key search, not after it (seconds for 4096 bits).
  await checkPairWritable({ dir, force: options.force });
  // The search runs on the thread pool: the code that writes the files loads meanwhile (this module imports
  // only what the search needs, so the search starts sooner).
  const [pair, { writeKeyAndCertificate }, { ensureGitignore }] = await Promise.all([
    generateKeyAndCertificate({ bits: options.bits, days: options.days, subject }),
    import('../keys/write.js'),
    import('../config/index.js'),
  ]);
  const written = await writeKeyAndCertificate(pair, { dir, force: options.force });
  const relativeKey = path.relative(cwd, written.keyPath);
  // Only a key inside this folder can be git-ignored from here.
  const gitignore = relativeKey.startsWith('..') ? { added: [] } : await ensureGitignore(cwd, [relativeKey.split(path.sep).join('/')]);
  return { ...written, gitignoreAdded: gitignore.added };
}

export async function runKeygen(options: KeygenOptions, ctx: CommandContext): Promise<number> {
  const written = await createKeyPair(
    { dir: options.dir, bits: Number(options.bits) as 2048 | 3072 | 4096, days: Number(options.days), subject: options.subject, force: options.force },
    ctx.cwd,
  );
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
  print(ctx);
  print(ctx, `${bold('Next:')} upload ${written.certificatePath} to your app`);
  print(ctx, '  (App Manager > your app > Edit > Use digital signatures > Choose File), then run');
  print(ctx, '  `sf-setup config --client-id <Consumer Key> --username <user>` and `sf-setup test`.');
  return EXIT.ok;
}
