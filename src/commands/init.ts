import { EXIT } from '../errors.js';
import type { EmulatedOrg, ScenarioName } from '../emulator/index.js';
import type { CommandContext } from './context.js';

// Placeholder until the wizard lands: the headless path only.
export async function runInit(_options: { plain?: boolean; config: string; dir: string }, ctx: CommandContext): Promise<number> {
  ctx.stderr.write('The wizard needs a terminal. Without one, the same steps are:\n  sf-setup keygen\n  sf-setup config --client-id <Consumer Key> --username <user>\n  sf-setup test\n');
  return EXIT.usage;
}

export async function runWizardAgainstEmulator(ctx: CommandContext, _org: EmulatedOrg, _scenario: ScenarioName): Promise<number> {
  return runInit({ config: '.sfconnect.json', dir: 'certs' }, ctx);
}
