import path from 'node:path';
import type { OrgConfig } from '../config/types.js';
import { isUserError } from '../errors.js';
import type { LoadedPrivateKey } from '../keys/index.js';
import { loadConfiguredKey } from '../salesforce/token-test.js';
import { isInteractive, type CommandContext } from './context.js';

const ATTEMPTS = 3;

/**
 * The configured private key; an encrypted one with no SF_PRIVATE_KEY_PASSPHRASE asks for its passphrase
 * when a person is at a terminal (masked, up to three tries). Anywhere else the key_encrypted error stands,
 * with its fix (set SF_PRIVATE_KEY_PASSPHRASE). The passphrase is kept only for this load.
 */
export async function loadKeyAsking(values: Pick<OrgConfig, 'privateKey' | 'privateKeyPath'>, ctx: CommandContext, mayAsk: boolean): Promise<LoadedPrivateKey> {
  try {
    return loadConfiguredKey(values, ctx.env);
  } catch (error) {
    const asking = mayAsk && isUserError(error) && error.code === 'key_encrypted' && !ctx.env.SF_PRIVATE_KEY_PASSPHRASE && isInteractive(ctx);
    if (!asking) throw error;
  }
  const { default: password } = await import('@inquirer/password');
  const label = values.privateKey ? 'the key in SF_PRIVATE_KEY' : path.relative(ctx.cwd, values.privateKeyPath ?? '') || values.privateKeyPath;
  for (let attempt = 1; ; attempt++) {
    const passphrase = await password({ message: `Passphrase for ${label} (encrypted)`, mask: '*' });
    try {
      return loadConfiguredKey(values, { ...ctx.env, SF_PRIVATE_KEY_PASSPHRASE: passphrase });
    } catch (error) {
      if (attempt >= ATTEMPTS || !isUserError(error) || error.code !== 'key_encrypted') throw error;
      ctx.stderr.write(`${ctx.errStyle.red('✗')} ${passphrase ? 'wrong passphrase: the key did not decrypt' : 'no passphrase given'}; ${ATTEMPTS - attempt} ${ATTEMPTS - attempt === 1 ? 'try' : 'tries'} left\n`);
    }
  }
}
