import { EXIT } from '../errors.js';
import { DEFAULT_KEY_DIR } from '../keys/defaults.js';
import type { EmulatedOrg, ScenarioName } from '../emulator/index.js';
import { emulatorHooks, type WizardHooks } from '../wizard/hooks.js';
import { isCi, isInteractive, type CommandContext } from './context.js';
import { importWithoutFetch } from './load-ink.js';

export interface InitOptions {
  /** Line-by-line questions (@inquirer's select and input prompts) instead of the full-screen UI. */
  plain?: boolean;
  /** Config file to write, relative to the working folder. */
  config: string;
  /** Folder for the key and certificate. */
  dir: string;
}

/** Without a terminal: the non-interactive commands that do the same, on stderr; exit 2. */
function printHeadless(ctx: CommandContext, options: InitOptions): number {
  const why = isCi(ctx.env)
    ? 'CI is set'
    : ctx.stdin.isTTY && ctx.stdout.isTTY
      ? 'the terminal reports no size'
      : 'stdin or stdout is not a terminal';
  const config = options.config === '.sfconnect.json' ? '' : ` --config ${options.config}`;
  const dir = options.dir === DEFAULT_KEY_DIR ? '' : ` --dir ${options.dir}`;
  ctx.stderr.write(
    [
      `The sf-setup wizard needs a terminal (${why}). The same steps without one:`,
      `  sf-setup keygen${dir}                                  # 1. key and certificate`,
      `  # 2. create the app in Salesforce and upload ${options.dir}/server.crt (see README)`,
      `  sf-setup config --client-id <Consumer Key> --username <user>${config}   # 3. add --sandbox or --token-url for sandboxes / My Domain`,
      `  sf-setup test${config}                                    # 4. token test`,
      '',
    ].join('\n'),
  );
  return EXIT.usage;
}

/**
 * `sf-setup init` (and bare `sf-setup`): the wizard. Decides headless vs interactive first; only then loads
 * the UI (Ink or @inquirer), so commands that draw nothing never load them.
 */
export async function runInit(options: InitOptions, ctx: CommandContext): Promise<number> {
  if (!isInteractive(ctx)) return printHeadless(ctx, options);
  return runWizardInTerminal(ctx, { config: options.config, dir: options.dir, plain: options.plain });
}

/**
 * Run the wizard in the terminal of `ctx` (the caller has checked there is one). `hooks` wires it to an org
 * the caller controls (demo). Resolves to the exit code: 0, 1 (test failed and the user quit), 130 (Ctrl+C).
 */
export async function runWizardInTerminal(ctx: CommandContext, options: InitOptions & { hooks?: WizardHooks }): Promise<number> {
  const wizardOptions = {
    cwd: ctx.cwd,
    env: ctx.env,
    configPath: options.config,
    keyDir: options.dir,
    color: ctx.style.enabled,
    stdin: ctx.stdin as NodeJS.ReadStream,
    stdout: ctx.stdout as NodeJS.WriteStream,
    stderr: ctx.stderr as NodeJS.WriteStream,
    hooks: options.hooks,
    runDoctor: async () => {
      const { runDoctor } = await import('./doctor.js');
      return runDoctor({ config: options.config, timeout: '10' }, ctx);
    },
  };
  // Each front end loads only itself: --plain (line by line, for screen readers) needs no Ink or React.
  if (options.plain) {
    const { runPlainWizard } = await import('../../screens/plain.js');
    return runPlainWizard(wizardOptions);
  }
  const { renderWizard } = await importWithoutFetch(() => import('../../screens/render.js'));
  return renderWizard(wizardOptions);
}

/**
 * `sf-setup demo` in a terminal: the wizard against an emulated org, in `ctx.cwd` (the demo's temporary
 * folder). Ticking "upload the certificate" in step 2 uploads it to the org (then applies `scenario`, so a
 * failure can be shown being diagnosed); step 2's Consumer Key and step 3 are pre-filled with the org's
 * values. With those, the token test passes for scenario 'ok'.
 */
export async function runWizardAgainstEmulator(ctx: CommandContext, org: EmulatedOrg, scenario: ScenarioName = 'ok', options: { plain?: boolean } = {}): Promise<number> {
  return runWizardInTerminal(ctx, { config: '.sfconnect.json', dir: 'certs', plain: options.plain, hooks: emulatorHooks(org, scenario) });
}
