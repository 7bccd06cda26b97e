import { UserError } from '../errors.js';
import { colorWanted, createStyle, type Style } from '../output/style.js';

/** What a command may touch: injected so tests (and the wizard) can run commands without a real process. */
export interface CommandContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Styling for stdout (off for pipes, --no-color and NO_COLOR). */
  style: Style;
  /** Styling for stderr. */
  errStyle: Style;
  /** The --no-color flag (false when given). */
  colorFlag?: boolean;
}

export function processContext(colorFlag?: boolean): CommandContext {
  const env = process.env;
  let cwd: string | undefined;
  return {
    // Read when a command first needs it, inside its error handling: the folder may have been deleted
    // under the shell (process.cwd() then throws ENOENT).
    get cwd() {
      cwd ??= currentFolder();
      return cwd;
    },
    env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    style: createStyle(colorWanted(process.stdout, env, colorFlag)),
    errStyle: createStyle(colorWanted(process.stderr, env, colorFlag)),
    colorFlag,
  };
}

/**
 * A CI runner, by the same rule Ink uses (the is-in-ci package): `CI` or `CONTINUOUS_INTEGRATION` present and
 * not "0" or "false". Using Ink's own rule matters: with CI set, Ink draws only the last frame, so a
 * full-screen UI must not start.
 */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const set = (key: string) => key in env && env[key] !== '0' && env[key] !== 'false';
  return set('CI') || set('CONTINUOUS_INTEGRATION');
}

/** True when a person can answer: both ends are a terminal and this is not CI. Decided before any UI loads. */
export function isInteractive(ctx: CommandContext): boolean {
  // A terminal that reports no size (a pty opened by `script` without one: 0x0) cannot hold a screen.
  const sized = (ctx.stdout as { rows?: number }).rows !== 0 && ctx.stdout.columns !== 0;
  return Boolean(ctx.stdin.isTTY && ctx.stdout.isTTY) && sized && !isCi(ctx.env);
}

/** Write lines to stdout. */
export function print(ctx: CommandContext, text = ''): void {
  ctx.stdout.write(`${text}\n`);
}

/** The streams printJson has written a JSON object to (a context made from another shares its stream). */
const printedJson = new WeakSet<object>();

/** True once the command's JSON object went to this stream: an interrupt after it adds none. */
export function jsonPrintedTo(stream: object): boolean {
  return printedJson.has(stream);
}

export function printJson(ctx: CommandContext, value: unknown): void {
  printedJson.add(ctx.stdout);
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Seconds from a --timeout flag, validated. */
export function timeoutMs(value: string | undefined, fallbackSeconds: number): number {
  return Math.round((value === undefined ? fallbackSeconds : Number(value)) * 1000);
}

/**
 * `ctx` working in another folder (the demo's). Not `{ ...ctx, cwd }`: spreading reads ctx.cwd, which throws
 * when the shell's folder was deleted, and the other folder is all this context needs.
 */
export function contextIn(ctx: CommandContext, cwd: string, extra: Partial<Omit<CommandContext, 'cwd'>> = {}): CommandContext {
  return { env: ctx.env, stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr, style: ctx.style, errStyle: ctx.errStyle, colorFlag: ctx.colorFlag, ...extra, cwd };
}

/** process.cwd(), or a UserError when the shell's folder no longer exists. */
function currentFolder(): string {
  try {
    return process.cwd();
  } catch (error) {
    throw new UserError('usage', 'the current folder no longer exists (it was deleted or moved while this shell was in it)', {
      fix: 'cd to an existing folder and run the command again',
      cause: error,
    });
  }
}
