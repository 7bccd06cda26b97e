import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT, isUserError, UserError } from './errors.js';
import { closest } from './output/closest.js';
import { printable, redactSecrets } from './output/printable.js';
import { DEFAULT_KEY_DIR } from './keys/defaults.js';
import { terminalWidth, wrapLines } from './output/wrap.js';
import { packageVersion } from './version.js';
import { jsonPrintedTo, printJson, processContext, type CommandContext } from './commands/context.js';

/**
 * The command line: commander's program. Each command imports its module on use, so headless commands never
 * load Ink, React or the prompt library. Loaded by cli.ts for everything but a bare `--version`.
 */

function positiveNumber(name: string, most = Infinity, unit = '') {
  return (value: string): string => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number, got "${value}".`);
    if (n > most) throw new InvalidArgumentError(`${name} must be at most ${most}${unit}, got "${value}".`);
    return value;
  };
}

/** --timeout: seconds, at most ten minutes (Node's timers overflow at ~24 days and then fire at once). */
const timeoutSeconds = positiveNumber('--timeout', 600, ' seconds');

type Action<O> = (options: O, ctx: CommandContext, command: Command) => Promise<number>;

/**
 * Wrap a command action: build the context, run it, turn errors into one clear line and an exit code.
 * `writesFiles`: the command writes keys, config or reports, so interrupts are guarded (the entry point's guard, cli.ts).
 */
function run<O>(action: Action<O>, wantsJson: (options: O) => boolean = () => false, { writesFiles = false } = {}) {
  return async (...args: unknown[]): Promise<void> => {
    const command = args[args.length - 1] as Command;
    const options = command.optsWithGlobals() as O & { color?: boolean };
    const ctx = processContext(options.color);
    const json = wantsJson(options);
    // With --json, stdout holds one JSON object whatever happens: an interrupt before the command printed
    // its own says so there (the guard then exits with the signal's code).
    const interrupted = (signal: NodeJS.Signals) => {
      if (!jsonPrintedTo(ctx.stdout)) printJson(ctx, { ok: false, code: 'interrupted', message: `interrupted (${signal}) before the command finished`, fix: ['run the command again'] });
    };
    const unguard = writesFiles || json ? guardInterrupts(json ? interrupted : undefined) : () => undefined;
    try {
      process.exitCode = await action(options, ctx, command);
    } catch (error) {
      process.exitCode = reportError(error, ctx, json);
    } finally {
      unguard();
    }
  };
}

export function reportError(error: unknown, ctx: CommandContext, json: boolean): number {
  if (isUserError(error)) {
    if (json) {
      printJson(ctx, { ok: false, code: error.code, message: error.message, fix: error.fix ? [error.fix] : [] });
    } else {
      const style = ctx.errStyle;
      // At a terminal, wrapped at spaces (its own wrap cuts words and loses the indent).
      const lines = [`${style.red('✗')} ${error.message}`, ...(error.fix ? [`  ${style.bold('fix:')} ${error.fix}`] : [])];
      ctx.stderr.write(`${wrapLines(lines, terminalWidth(ctx.stderr))}\n`);
    }
    return error.exitCode;
  }
  if (isPromptExit(error)) return EXIT.interrupted;
  const message = error instanceof Error ? error.message : String(error);
  ctx.stderr.write(`✗ sf-setup hit an unexpected error (a bug): ${message}\n  Please report it with the output of \`sf-setup --version\`; set SF_SETUP_DEBUG=1 for details.\n`);
  if (ctx.env.SF_SETUP_DEBUG && error instanceof Error && error.stack) ctx.stderr.write(`${error.stack}\n`);
  return EXIT.failed;
}

/** @inquirer's Ctrl+C: a quiet exit 130, not an error. */
function isPromptExit(error: unknown): boolean {
  return error instanceof Error && error.name === 'ExitPromptError';
}

const jsonOpt = (o: { json?: boolean }) => Boolean(o.json);

export function buildProgram(): Command {
  const program = new Command('sf-setup');
  program
    .description('Set up and diagnose Salesforce OAuth 2.0 JWT Bearer Flow authentication.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--no-color', 'plain output without colour (also: NO_COLOR=1)')
    .showHelpAfterError('(run with --help for usage)')
    // A rejected argument may be a paste holding a credential (`-d client_secret=…`, `--passphrase=…`).
    .configureOutput({ writeErr: (text) => process.stderr.write(redactSecrets(text)) })
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .exitOverride();

  program
    .command('init', { isDefault: true })
    .description('the wizard: key and certificate, app checklist, config, live token test (needs a terminal)')
    .option('--plain', 'line-by-line questions instead of the full-screen UI (screen readers, simple terminals)')
    .option('--config <path>', 'config file to write', '.sfconnect.json')
    .option('--dir <folder>', 'folder for the key and certificate', DEFAULT_KEY_DIR)
    .action(run(async (options: { plain?: boolean; config: string; dir: string }, ctx) => {
      const { runInit } = await import('./commands/init.js');
      return runInit(options, ctx);
    }, undefined, { writesFiles: true }));

  program
    .command('keygen')
    .description('generate an RSA private key and a self-signed X.509 certificate to upload to the app')
    .option('--dir <folder>', 'where to write server.key and server.crt', DEFAULT_KEY_DIR)
    .addOption(new Option('--bits <n>', 'RSA key size').choices(['2048', '3072', '4096']).default('2048'))
    .option('--days <n>', 'certificate validity in days', positiveNumber('--days'), '365')
    .option('--subject <fields>', 'certificate subject, e.g. "C=US,ST=California,L=San Francisco,O=Acme,OU=IT,CN=acme.com,emailAddress=admin@acme.com"')
    .option('--force', 'replace an existing key and certificate (the old ones are backed up)')
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nExample:\n  $ sf-setup keygen --days 730\n')
    .action(run(async (options: import('./commands/keygen.js').KeygenOptions, ctx) => {
      const { runKeygen } = await import('./commands/keygen.js');
      return runKeygen(options, ctx);
    }, jsonOpt, { writesFiles: true }));

  program
    .command('config')
    .description('write or update .sfconnect.json (validated; the key is added to .gitignore)')
    .option('--client-id <key>', 'Consumer Key of the Connected App / External Client App')
    .option('--username <user>', 'Salesforce username (sandbox: user@example.com.sandboxname)')
    .option('--sandbox', 'use test.salesforce.com (sandbox) instead of login.salesforce.com')
    .option('--token-url <url>', 'token endpoint, e.g. https://MYDOMAIN.my.salesforce.com/services/oauth2/token')
    .option('--instance-url <url>', 'instance URL, e.g. https://MYDOMAIN.my.salesforce.com')
    .option('--api-version <v>', 'REST API version, e.g. v62.0')
    .option('--private-key-path <path>', 'path to the private key (default: ./certs/server.key)')
    .option('--audience <url>', 'JWT aud (default: derived from the token URL)')
    .option('--org <name>', 'org name in a multi-org config')
    .option('--config <path>', 'config file', '.sfconnect.json')
    .option('--allow-untrusted-host', 'allow a token URL that is not a Salesforce domain')
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nExample:\n  $ sf-setup config --client-id 3MVG9... --username me@acme.com --sandbox\n')
    .action(run(async (options: import('./commands/config.js').ConfigOptions, ctx) => {
      const { runConfig } = await import('./commands/config.js');
      return runConfig(options, ctx);
    }, jsonOpt, { writesFiles: true }));

  program
    .command('test')
    .description('request a token with the JWT Bearer Flow and check API access')
    .option('--org <name>', 'org to test (default: SF_ORG, then defaultOrg)')
    .option('--config <path>', 'config file (default: ./.sfconnect.json)')
    .option('--timeout <seconds>', 'bound on each network request', timeoutSeconds, '10')
    .option('--allow-untrusted-host', 'allow a token URL that is not a Salesforce domain')
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nExamples:\n  $ sf-setup test\n  $ SF_CLIENT_ID=... SF_USERNAME=... SF_PRIVATE_KEY="$(cat certs/server.key)" sf-setup test --json\n')
    .action(run(async (options: import('./commands/test.js').TestOptions, ctx) => {
      const { runTest } = await import('./commands/test.js');
      return runTest(options, ctx);
    }, jsonOpt));

  program
    .command('doctor')
    .description('check config, key, certificate, clock, network and a live token request; explain every failure')
    .option('--org <name>', 'org to check')
    .option('--all', 'check every org in the config')
    .option('--config <path>', 'config file (default: ./.sfconnect.json)')
    .option('--offline', 'local checks only (no network)')
    .option('--timeout <seconds>', 'bound on each network request (the whole run: 3 times this)', timeoutSeconds, '10')
    .option('--strict', 'warnings fail too')
    .option('--fix', 'repair what is safe to repair (asks first)')
    .option('--yes', 'with --fix: accept every repair')
    .option('--report <file>', 'write a redacted Markdown report to attach to a support ticket')
    .option('--detect-ip', "on an IP restriction, learn this machine's public address from https://api.ipify.org (or SF_SETUP_IP_SERVICE)")
    .option('--allow-untrusted-host', 'allow a token URL that is not a Salesforce domain')
    .option('-v, --verbose', 'show details of passing checks too')
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nExamples:\n  $ sf-setup doctor\n  $ sf-setup doctor --json > doctor.json\n  $ sf-setup doctor --report support.md\n')
    .action(run(async (options: import('./commands/doctor.js').DoctorOptions, ctx) => {
      const { runDoctor } = await import('./commands/doctor.js');
      return runDoctor(options, ctx);
    }, jsonOpt, { writesFiles: true }));

  program
    .command('explain')
    .description('explain a Salesforce error: paste the message, the JSON body or the code (- reads stdin)')
    .argument('<error...>', 'the error text, e.g. "invalid_grant: ip restricted"')
    .option('--json', 'machine-readable output')
    .addHelpText('after', `\nExamples:\n  $ sf-setup explain "invalid_grant: user hasn't approved this consumer"\n  $ sf-setup explain OAUTH_APPROVAL_ERROR_GENERIC\n  $ pbpaste | sf-setup explain -\n`)
    .action(run(async (options: { json?: boolean }, ctx, command) => {
      const { runExplain } = await import('./commands/explain.js');
      return runExplain(command.args, options, ctx);
    }, jsonOpt));

  program
    .command('use')
    .description('set the default org of a multi-org config')
    .argument('<name>', 'org name')
    .option('--config <path>', 'config file', '.sfconnect.json')
    .action(run(async (options: { config: string }, ctx, command) => {
      const { runUse } = await import('./commands/use.js');
      return runUse(command.args[0], options, ctx);
    }, undefined, { writesFiles: true }));

  program
    .command('rotate')
    .description('replace the key and certificate with the shortest gap: new pair beside the old, upload, test, then switch')
    .option('--org <name>', 'org whose key to rotate')
    .option('--config <path>', 'config file (default: ./.sfconnect.json)')
    .option('--days <n>', 'validity of the new certificate in days', positiveNumber('--days'), '365')
    .addOption(new Option('--bits <n>', 'RSA key size').choices(['2048', '3072', '4096']).default('2048'))
    .option('--switch <key>', 'test the key made by an earlier rotate and switch the config to it')
    .option('--timeout <seconds>', 'bound on each network request', timeoutSeconds, '10')
    .action(run(async (options: import('./commands/rotate.js').RotateOptions, ctx) => {
      const { runRotate } = await import('./commands/rotate.js');
      return runRotate(options, ctx);
    }, undefined, { writesFiles: true }));

  program
    .command('emulator')
    .description('run an emulated Salesforce org on 127.0.0.1 (token endpoint, userinfo, REST) for tests and reproductions')
    .option('--port <n>', 'port (default: a free one)')
    .option('--scenario <name>', 'failure to reproduce (see `sf-setup emulator --list`)', 'ok')
    .option('--cert <path>', 'certificate uploaded to the emulated app (default: ./certs/server.crt if present)')
    .option('--client-id <key>', 'consumer key of the emulated app')
    .option('--username <user>', 'username of the emulated user')
    .option('--sandbox', 'behave as a sandbox')
    .option('--write-config', 'write .sfconnect.json pointing at the emulator (beside a real org: as org "emulator")')
    .option('--list', 'list the scenarios and exit')
    .action(run(async (options: import('./commands/emulator.js').EmulatorCommandOptions, ctx) => {
      const { runEmulator } = await import('./commands/emulator.js');
      return runEmulator(options, ctx);
    }));

  program
    .command('demo')
    .description('the whole product against a built-in emulated org, in a temporary folder')
    .option('--scenario <name>', 'show a failure being diagnosed, e.g. ip_restricted', 'ok')
    .option('--plain', 'plain output even in a terminal')
    .action(run(async (options: import('./commands/demo.js').DemoOptions, ctx) => {
      const { runDemo } = await import('./commands/demo.js');
      return runDemo(options, ctx);
    }));

  return program;
}

/** Installed by the entry point (cli.ts), which alone ends the process; unguarded when run otherwise. */
let guardInterrupts: (onInterrupt?: (signal: NodeJS.Signals) => void) => () => void = () => () => undefined;

/** Parse the arguments and run the command; commander's own exits (help, version, usage) become exit codes. */
export async function runProgram(argv: string[], guard?: typeof guardInterrupts): Promise<void> {
  if (guard) guardInterrupts = guard;
  const program = buildProgram();
  // `init` is the default command and takes no arguments, so commander would read a mistyped command
  // ("explian") as too many arguments for init: name the word instead, with the command it resembles.
  const word = argv.find((arg) => arg !== '--no-color');
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (word !== undefined && !word.startsWith('-') && word !== 'help' && !names.includes(word)) {
    const guess = closest(word, names);
    const fix = guess ? `did you mean \`sf-setup ${guess}\`? (\`sf-setup --help\` lists the commands)` : 'run `sf-setup --help` for the commands';
    process.exitCode = reportError(new UserError('usage', `unknown command "${printable(word, 40)}"`, { fix }), processContext(argv.includes('--no-color') ? false : undefined), argv.includes('--json'));
    return;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every other commander error is a usage error.
      const ok = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
      process.exitCode = ok ? EXIT.ok : EXIT.usage;
      // A pipeline that asked for --json reads stdout: the usage error is JSON there too (commander has
      // already said it on stderr).
      if (!ok && argv.includes('--json')) {
        const message = redactSecrets(error.message.replace(/^error: /, ''));
        process.stdout.write(`${JSON.stringify({ ok: false, code: 'usage', message, fix: ['run the command with --help for its usage'] }, null, 2)}\n`);
      }
      return;
    }
    throw error;
  }
}
