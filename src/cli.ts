import { packageVersion } from './version.js';

/**
 * The entry point. A bare `sf-setup --version` is answered here, before the command-line parser loads (loading
 * commander and declaring every command is most of the start-up time); everything else goes to program.ts,
 * which prints the same version for `--version` given with other arguments.
 */

/**
 * `sf-setup ... | head` closes the pipe early: the next write fails with EPIPE, which Node raises as an
 * uncaught error with a stack trace. The reader has gone, so further output is dropped silently and the
 * command finishes with its own exit code (files it writes are not left half done).
 */
function ignoreClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
      throw error;
    });
  }
}

/** Entry point used by bin/sf-setup.js. Sets process.exitCode; never calls process.exit. */
export async function main(argv: string[]): Promise<void> {
  ignoreClosedPipes();
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${packageVersion()}\n`);
    return;
  }
  const { runProgram } = await import('./program.js');
  await runProgram(argv);
}
