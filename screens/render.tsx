import path from 'node:path';
import React from 'react';
import { render } from 'ink';
import { settleFileChanges } from '../src/fs-util.js';
import { createStyle } from '../src/output/style.js';
import { terminalWidth, wrapLines } from '../src/output/wrap.js';
import { defaultServices, finalSummary, initialState, stoppedLines, type WizardHooks, type WizardServices, type WizardState } from '../src/wizard/index.js';
import { ThemeContext } from './theme.js';
import type { WizardOutcome } from './types.js';
import { WizardApp } from './WizardApp.js';

/** Options of both front ends. */
export interface WizardOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Config file, relative to cwd (default .sfconnect.json). */
  configPath: string;
  /** Folder for the key and certificate, relative to cwd (default certs). */
  keyDir: string;
  /** Colour on (off for NO_COLOR / --no-color). */
  color: boolean;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  /** Demo wiring (emulated org): pre-filled values and the certificate upload. */
  hooks?: WizardHooks;
  /** Substitutes for tests. */
  services?: WizardServices;
  /** "Run the full doctor" from the failure card: run after the UI is gone; returns its exit code. */
  runDoctor?: () => Promise<number>;
}

/**
 * The full-screen wizard. The caller has already decided there is a terminal. Resolves to the exit code:
 * 0 success, 1 the token test failed and the user quit, 130 Ctrl+C, or the doctor's code.
 */
export async function renderWizard(options: WizardOptions): Promise<number> {
  const services = options.services ?? defaultServices(options.env);
  const configPath = path.resolve(options.cwd, options.configPath);
  const progress = await services.detectProgress(options.cwd, { configPath: options.configPath, keyDir: options.keyDir });
  // Filled in by the app just before it exits.
  const ended: { outcome: WizardOutcome; state: WizardState } = { outcome: { kind: 'quit', code: 130 }, state: initialState(progress) };
  const stdout = options.stdout ?? process.stdout;
  const app = render(
    <ThemeContext.Provider value={{ color: options.color }}>
      <WizardApp
        initial={ended.state}
        env={{ cwd: options.cwd, configPath, keyDir: options.keyDir, services, hooks: options.hooks ?? {}, cancel: { cancelled: false } }}
        onOutcome={(o, s) => {
          ended.outcome = o;
          ended.state = s;
        }}
      />
    </ThemeContext.Provider>,
    { stdin: options.stdin, stdout, stderr: options.stderr, exitOnCtrlC: false, patchConsole: false },
  );
  await app.waitUntilExit();
  // Ink has restored the terminal; what follows is ordinary output that stays in the scrollback.
  const { outcome } = ended;
  // Ctrl+C: a key or config write still in flight finishes or undoes itself before we return (never half a pair).
  if (outcome.kind === 'quit' && outcome.code === 130) await settleFileChanges();
  if (outcome.kind === 'finished') {
    stdout.write(`\n${finalSummary(ended.state.data, { cwd: options.cwd, style: createStyle(options.color), width: stdout.columns }).join('\n')}\n`);
    return 0;
  }
  const style = createStyle(options.color);
  if (outcome.kind === 'doctor') {
    stdout.write('\n');
    const code = options.runDoctor ? await options.runDoctor() : 1;
    stdout.write(`\n${wrapLines(stoppedLines('doctor', style), terminalWidth(stdout))}\n`);
    return code;
  }
  stdout.write(`\n${wrapLines(stoppedLines(outcome.code === 130 ? 'interrupted' : 'test_failed', style), terminalWidth(stdout))}\n`);
  return outcome.code;
}
