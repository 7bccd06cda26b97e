import type { OrgConfig } from '../config/index.js';
import type { TokenTestOutcome } from './actions.js';
import type { AppType } from './checklist.js';
import type { EnvironmentKind } from './environment.js';
import type { KeyFacts, Progress } from './progress.js';

/** The four steps, in order. */
export type StepId = 'keys' | 'app' | 'config' | 'test';

export interface StepInfo {
  id: StepId;
  number: 1 | 2 | 3 | 4;
  title: string;
  /** What the step is for, shown under its title (teaching, not just asking). */
  purpose: string;
}

export const STEPS: readonly StepInfo[] = [
  { id: 'keys', number: 1, title: 'Keys and certificate', purpose: 'Salesforce checks each login with your certificate; only your private key can sign one.' },
  { id: 'app', number: 2, title: 'App in Salesforce', purpose: 'An app in your org holds the certificate and says which users may log in with it.' },
  { id: 'config', number: 3, title: 'Configuration', purpose: 'Which org, which user, which key: saved to .sfconnect.json for sf-setup and your code.' },
  { id: 'test', number: 4, title: 'Token test', purpose: 'A real login with the JWT Bearer Flow proves every piece fits.' },
];

export function stepInfo(id: StepId): StepInfo {
  return STEPS.find((s) => s.id === id)!;
}

/** Values carried from step to step. */
export interface WizardData {
  keys?: KeyFacts;
  /** Step 1 wrote a new pair in this run. */
  keyJustCreated?: boolean;
  appType?: AppType;
  integrationUser?: boolean;
  clientId?: string;
  /** Step 2 went through the checklist in this run (not reused): the app is minutes old. */
  appJustCreated?: boolean;
  environment?: EnvironmentKind;
  /** Absolute path of the config written, and what went in. */
  configPath?: string;
  config?: Partial<OrgConfig>;
  configCreated?: boolean;
  gitignoreAdded?: string[];
  backups?: string[];
  result?: TokenTestOutcome;
  /** The failure code that sent the user back to an earlier step (the card's "go back to step N"). */
  returnedFor?: string;
  /** The checklist items ticked in this run ("appType/itemId", see ticksOf), kept when step 2 is visited again. */
  checklistTicked?: string[];
}

/**
 * The wizard's state: the step on screen, the one-line summaries of finished steps, and the data. Pure
 * values changed only by the functions below, so the Ink and the plain front end walk the same machine.
 */
export interface WizardState {
  step: StepId | 'finished';
  /** What the files showed when the wizard started (steps found done are offered for reuse). */
  progress: Progress;
  /** Steps finished in this run, in order, each with its summary line. */
  done: { id: StepId; summary: string }[];
  data: WizardData;
}

export function initialState(progress: Progress): WizardState {
  return { step: 'keys', progress, done: [], data: { keys: progress.keys } };
}

const ORDER: StepId[] = ['keys', 'app', 'config', 'test'];

/** Finish the current step: record its summary and data, move to the next. */
export function completeStep(state: WizardState, summary: string, data: Partial<WizardData> = {}): WizardState {
  if (state.step === 'finished') return state;
  const index = ORDER.indexOf(state.step);
  return {
    ...state,
    step: index === ORDER.length - 1 ? 'finished' : ORDER[index + 1],
    done: [...state.done.filter((d) => d.id !== state.step), { id: state.step, summary }],
    data: { ...state.data, ...data },
  };
}

/** Go back one step (Esc / Backspace): the previous step is offered again. At step 1, nothing changes. */
export function goBack(state: WizardState): WizardState {
  const index = state.step === 'finished' ? ORDER.length : ORDER.indexOf(state.step);
  if (index <= 0) return state;
  return goTo(state, ORDER[index - 1]);
}

/**
 * Jump to an earlier step (the failure card's "go back to step N", with the failure's code); later steps are
 * done again.
 */
export function goTo(state: WizardState, step: StepId, returnedFor?: string): WizardState {
  const index = ORDER.indexOf(step);
  return { ...state, step, done: state.done.filter((d) => ORDER.indexOf(d.id) < index), data: { ...state.data, returnedFor } };
}

/** The step a knowledge-base `wizardStep` number names. */
export function stepForNumber(n: number): StepId | undefined {
  return ORDER[n - 1];
}

/** How each step looks in the header: finished in this run, found done on disk, on screen, or still to do. */
export type StepStatus = 'done' | 'found' | 'current' | 'todo';

export function stepStatus(state: WizardState, id: StepId): StepStatus {
  if (state.step === id) return 'current';
  if (state.done.some((d) => d.id === id)) return 'done';
  if (id !== 'test' && state.progress.done[id]) return 'found';
  return 'todo';
}

/**
 * The state to show after going back, or to the step that fixes a failure, with progress read from the files
 * again: a step of this run may have written one (step 3's config: step 2 then finds its Consumer Key, step 3
 * its values). If reading fails, the wizard goes on with what it knew. Both front ends use it.
 */
export async function withFreshProgress(next: WizardState, detect: () => Promise<Progress>): Promise<WizardState> {
  try {
    return { ...next, progress: await detect() };
  } catch {
    return next;
  }
}
