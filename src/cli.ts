import { packageVersion } from './version.js';

/**
 * The entry point, which bin/sf-setup.cjs runs. It is bundled as CommonJS (dist/bundle/cli.cjs) while
 * everything else is ES modules: a bare `sf-setup --version` is answered here before Node starts its ES module
 * loader (about 10 ms) or loads the command-line parser (commander and every command's declaration, 15-20 ms).
 * Everything else goes to program.ts (dist/bundle/program.js), which prints the same version for `--version`
 * given with other arguments. The two dynamic imports below stay imports of the ES module bundle's entries
 * (package.json: bundle:entry marks them external), so this file and the commands share one fs-util.
 */

/**
 * `sf-setup ... | head` closes the pipe early: the next write fails with EPIPE, which Node raises as an
 * uncaught error with a stack trace. The reader has gone, so further output is dropped silently and the
 * command finishes with its own exit code (files it writes are not left half done). Any other write
 * error ends in exit 1 with one line on stderr.
 */
function ignoreClosedPipes(): void {
  let failed = false;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
      // Any other failure to write (a full disk: `> /dev/full`): one line on the other stream, not a stack
      // trace, and the run cannot count as a success, since its output is lost.
      if (failed) return;
      failed = true;
      if (stream === process.stdout) process.stderr.write(`✗ cannot write the output: ${error.code ?? error.message}\n`);
      process.once('exit', () => {
        if (!process.exitCode) process.exitCode = 1;
      });
    });
  }
}

/**
 * The exit code after each signal, 128 + its number as shells report a process the signal ended: Ctrl+C 130
 * (EXIT.interrupted), SIGTERM 143, a closed terminal 129. Written out: the numbers are the same on Linux and
 * macOS, and importing node:os or errors.ts here would load more for every `--version`.
 */
const INTERRUPTS: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * Ctrl+C, SIGTERM or a closed terminal while a command writes files: let every file change in flight finish
 * or undo itself (never a half-written key, certificate or config, no temporary file left behind), then exit
 * with the signal's code, as if the signal had ended the process. A second signal exits at once. `onInterrupt`
 * says so first (a --json command's one JSON object). Returns the function that removes the handlers. It
 * lives in the entry point because only the entry ends the process; commands set process.exitCode and return.
 */
function guardInterrupts(onInterrupt?: (signal: NodeJS.Signals) => void): () => void {
  let received = false;
  const onSignal = (signal: NodeJS.Signals) => {
    const code = INTERRUPTS[signal] ?? 130;
    if (received) process.exit(code);
    received = true;
    process.exitCode = code;
    // Loaded here, not at start: fs-util pulls in node:crypto and fs/promises, which --version does not need.
    // It is the same module instance the commands use, so it sees their writes in flight. The interrupt is
    // said last, once they have settled: a command that printed its own result meanwhile adds nothing.
    void import('./fs-util.js')
      .then(({ settleFileChanges }) => settleFileChanges())
      .finally(() => {
        onInterrupt?.(signal);
        process.exit(code);
      });
  };
  const signals = Object.keys(INTERRUPTS) as NodeJS.Signals[];
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}

/** Entry point used by bin/sf-setup.cjs. Sets process.exitCode; process.exit only from the interrupt guard. */
export async function main(argv: string[]): Promise<void> {
  ignoreClosedPipes();
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${packageVersion()}\n`);
    return;
  }
  // keygen's key search needs none of the program: it starts first, on the other core (keys/search.ts).
  if (argv[0] === 'keygen') {
    // A folder deleted under the shell: no head start; the command itself then says what happened.
    const cwd = (() => {
      try {
        return process.cwd();
      } catch {
        return undefined;
      }
    })();
    if (cwd) (await import('./keys/search.js')).startSearchEarly(argv, cwd);
  }
  const { runProgram } = await import('./program.js');
  await runProgram(argv, guardInterrupts);
}
