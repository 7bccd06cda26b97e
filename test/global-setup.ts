/**
 * One temporary folder for the whole run: TMPDIR points into it for the test workers and every process they
 * start (the built binary, the demo's folder, the tmux recordings), and it is removed when the run ends. Runs
 * used to leave ~200 folders in /tmp each, keys and all. Set SF_SETUP_KEEP_TMP=1 to keep it for a look after
 * a failure (its path is printed).
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export default async function setup(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sf-setup-run-'));
  // Some tests run the binary as `nobody`, in folders under this one.
  await chmod(dir, 0o755);
  process.env.TMPDIR = dir;
  return async () => {
    if (process.env.SF_SETUP_KEEP_TMP) {
      process.stdout.write(`SF_SETUP_KEEP_TMP: the run's files are in ${dir}\n`);
      return;
    }
    await rm(dir, { recursive: true, force: true });
  };
}
