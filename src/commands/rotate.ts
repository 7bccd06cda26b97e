import { existsSync } from 'node:fs';
import path from 'node:path';
import { gitignoreKey, loadConfig, writeConfig } from '../config/index.js';
import { EXIT, isUserError, UserError } from '../errors.js';
import { certificatePathBeside, createRotationPair, loadPrivateKey } from '../keys/index.js';
import { runTokenTest } from '../salesforce/token-test.js';
import { isInteractive, print, timeoutMs, type CommandContext } from './context.js';

export interface RotateOptions {
  org?: string;
  config?: string;
  days: string;
  bits: string;
  /** Path of a key made by an earlier `rotate`: test it and switch the config to it. */
  switch?: string;
  timeout?: string;
}

/**
 * `sf-setup rotate`: certificate rotation with the shortest gap (facts sheet): make a new key and certificate
 * beside the old ones, have the user upload the new certificate, and switch the config only once a token
 * test with the new key passes. The old files are kept.
 */
export async function runRotate(options: RotateOptions, ctx: CommandContext): Promise<number> {
  const config = await loadConfig({ cwd: ctx.cwd, configPath: options.config, org: options.org, env: ctx.env });
  if (!config.configPath || config.sources.privateKeyPath !== 'file' || !config.values.privateKeyPath) {
    throw new UserError('config_invalid', 'rotate switches the key named by privateKeyPath in a config file, and this config has none', {
      fix: 'rotate the key stored in your CI secret by hand: `sf-setup keygen --dir new-certs`, upload, then update SF_PRIVATE_KEY',
    });
  }
  const { bold, dim, green } = ctx.style;
  const currentKey = config.values.privateKeyPath;
  let newKey: string;
  let newCert: string;
  if (options.switch) {
    newKey = path.resolve(ctx.cwd, options.switch);
    newCert = certificatePathBeside(newKey);
    if (!existsSync(newKey) || !existsSync(newCert)) {
      throw new UserError('key_missing', `${options.switch} (and its .crt) not found`, { fix: 'run `sf-setup rotate` first; it prints the path to pass to --switch' });
    }
  } else {
    const written = await createRotationPair(currentKey, config.values.certificatePath, { bits: Number(options.bits) as 2048 | 3072 | 4096, days: Number(options.days) });
    newKey = written.keyPath;
    newCert = written.certificatePath;
    const ignored = await gitignoreKey(path.dirname(config.configPath), newKey);
    print(ctx, `${green('✓')} New key and certificate beside the old ones:`);
    print(ctx, `    ${path.relative(ctx.cwd, newKey)}  ${dim('(0600)')}`);
    print(ctx, `    ${path.relative(ctx.cwd, newCert)}  ${dim(`(valid until ${written.notAfter.toISOString().slice(0, 10)})`)}`);
    if (ignored.length) print(ctx, dim(`  Added ${ignored.join(', ')} to .gitignore`));
    print(ctx);
    print(ctx, bold('Upload the new certificate:'));
    print(ctx, '  1. Setup > App Manager > your app > ▾ > Edit (External Client App: Policies / Flow Enablement).');
    print(ctx, `  2. Use digital signatures > Choose File > ${newCert}`);
    print(ctx, '  3. Save. The app accepts only the uploaded certificate: the old key stops working now.');
    print(ctx, '  4. Wait a minute or two for Salesforce to apply it.');
    print(ctx);
    const interactive = isInteractive(ctx);
    if (!interactive) {
      print(ctx, `Then run: sf-setup rotate --switch ${path.relative(ctx.cwd, newKey)}`);
      print(ctx, dim('  It tests the new key and switches the config only if the test passes; the old files stay.'));
      return EXIT.ok;
    }
    const { default: confirm } = await import('@inquirer/confirm');
    const uploaded = await confirm({ message: 'Is the new certificate uploaded to the app?', default: false });
    if (!uploaded) {
      print(ctx, `When it is, run: sf-setup rotate --switch ${path.relative(ctx.cwd, newKey)}`);
      return EXIT.ok;
    }
  }

  // Test the new key before switching anything.
  const key = loadPrivateKey({ path: newKey, passphrase: ctx.env.SF_PRIVATE_KEY_PASSPHRASE || undefined });
  await runTokenTest({ ...config.values, privateKeyPath: newKey }, { timeoutMs: timeoutMs(options.timeout, 10), env: ctx.env }, { key }).catch((error: unknown) => {
    // The new pair was made together, so a refused signature means the app does not use its certificate
    // yet; the doctor would only check the old, configured key.
    if (!isUserError(error) || error.code !== 'invalid_signature') throw error;
    const shown = (p: string) => path.relative(ctx.cwd, p);
    throw new UserError('invalid_signature', `the new key was refused (invalid assertion): the app does not have ${shown(newCert)} yet, or Salesforce has not applied it (2-10 minutes). Nothing was switched: the config still uses ${shown(currentKey)}`, {
      exitCode: EXIT.failed,
      fix: `upload ${shown(newCert)} (App Manager > your app > Edit > Use digital signatures > Choose File > Save), wait a few minutes, then run \`sf-setup rotate --switch ${shown(newKey)}\` again`,
    });
  });
  const dir = path.dirname(config.configPath);
  const rel = (p: string) => `./${path.relative(dir, p).split(path.sep).join('/')}`;
  await writeConfig(config.configPath, { org: config.org ?? undefined, values: { privateKeyPath: rel(newKey), certificatePath: rel(newCert) } });
  print(ctx, `${green('✓')} A token test with the new key passed.`);
  print(ctx, `${green('✓')} ${path.relative(ctx.cwd, config.configPath)} now uses ${rel(newKey)}; the old key ${path.relative(ctx.cwd, currentKey)} is kept (delete it when you are sure).`);
  return EXIT.ok;
}

