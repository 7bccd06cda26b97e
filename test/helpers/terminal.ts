/**
 * The built binary in a real pseudo-terminal: a tmux server of its own per terminal, for the screens' end to
 * end tests (the wizard, the doctor).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN } from './cli.js';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;
/** The binary tests need the build (npm test builds first). */
export const built = existsSync(path.join(path.dirname(BIN), '..', 'dist'));

/** One tmux server per terminal, on its own socket, killed after. */
export class Terminal {
  private readonly socket = `sfw${process.pid}${Math.random().toString(36).slice(2, 8)}`;
  /** The raw output, written by tmux's pipe-pane. */
  private readonly recording = path.join(os.tmpdir(), `${this.socket}.out`);
  /** `env`: variables for the program; undefined removes one (NO_COLOR: undefined runs with colour). */
  constructor(cwd: string, args: string[], size = { x: 80, y: 24 }, env: Record<string, string | undefined> = {}) {
    const all = Object.entries({ NO_COLOR: '1', ...env });
    const vars = all.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    const unset = all.filter(([, v]) => v === undefined).map(([k]) => `-u ${k}`);
    // `env -u CI`: the wizard refuses to start under CI, and CI runners set it.
    // The program starts once the recording below is attached (tmux wait-for), so no byte is missed.
    const command = `tmux -L ${this.socket} wait-for started; cd ${JSON.stringify(cwd)} && env -u CI ${unset.join(' ')} ${vars.join(' ')} ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} ${args.join(' ')}; echo "EXIT=$?"; sleep 60`;
    this.tmux('new-session', '-d', '-s', 'main', '-x', String(size.x), '-y', String(size.y), command);
    // Everything the program writes, escape codes and all, from its first byte on.
    this.tmux('pipe-pane', '-o', '-t', 'main', `cat >> ${JSON.stringify(this.recording)}`);
    this.tmux('wait-for', '-S', 'started');
  }
  /** The bytes the program wrote to the terminal so far, as text. */
  output(): string {
    return existsSync(this.recording) ? readFileSync(this.recording, 'utf8') : '';
  }
  /**
   * How often the program cleared the screen and its scrollback (`ESC[3J`): Ink does this on every redraw
   * once a frame is as tall as the terminal, which wipes what the user had on the screen before.
   */
  scrollbackClears(): number {
    return this.output().split('\u001b[3J').length - 1;
  }
  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }
  /** The screen plus scrollback. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'main', '-S', '-300');
  }
  /** The screen plus scrollback with colours and attributes as escape codes (`capture-pane -e`). */
  escapes(): string {
    return this.tmux('capture-pane', '-p', '-e', '-t', 'main', '-S', '-300');
  }
  /** The screen plus scrollback with lines the terminal wrapped joined again (`-J`): the lines as written. */
  joined(): string {
    return this.tmux('capture-pane', '-p', '-J', '-t', 'main', '-S', '-300');
  }
  /** The visible screen only. */
  visible(): string {
    return this.tmux('capture-pane', '-p', '-t', 'main');
  }
  /** Resize the terminal, as a user dragging its window would. */
  resize(x: number, y: number): void {
    this.tmux('resize-window', '-t', 'main', '-x', String(x), '-y', String(y));
  }
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }
  /** Type text, then give the app a moment before the next key (as a person would). */
  async type(text: string): Promise<void> {
    this.tmux('send-keys', '-t', 'main', '-l', text);
    await new Promise((r) => setTimeout(r, 150));
  }
  async waitFor(what: string | RegExp, timeoutMs = 15_000, visibleOnly = true): Promise<string> {
    const start = Date.now();
    for (;;) {
      const screen = visibleOnly ? this.visible() : this.screen();
      if (typeof what === 'string' ? screen.includes(what) : what.test(screen)) {
        // Let the new prompt attach its input handler before the next key.
        await new Promise((r) => setTimeout(r, 150));
        return screen;
      }
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${String(what)}; screen:\n${this.screen()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  /** Wait for a prompt, then press Enter. */
  async enterAt(what: string | RegExp): Promise<void> {
    await this.waitFor(what);
    this.keys('Enter');
  }
  async exitCode(timeoutMs = 20_000): Promise<number> {
    const screen = await this.waitFor(/EXIT=\d+/, timeoutMs, false);
    return Number(/EXIT=(\d+)/.exec(screen)![1]);
  }
  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(this.recording, { force: true });
  }
}
