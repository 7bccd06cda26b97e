import type { StepRoom } from './layout.js';
import type { Cancellation, WizardData, WizardHooks, WizardServices, WizardState, StepId } from '../src/wizard/index.js';

/** What every step needs besides the state: where it works and the services it calls. */
export interface WizardEnv {
  cwd: string;
  /** Absolute path of the config file. */
  configPath: string;
  /** Folder of the key and certificate, relative to cwd. */
  keyDir: string;
  services: WizardServices;
  hooks: WizardHooks;
  /** Set on Ctrl+C so work in flight writes nothing. */
  cancel: Cancellation;
}

/** Props of a step component. */
export interface StepProps {
  state: WizardState;
  env: WizardEnv;
  /** Finish the step with its one-line summary. */
  onDone: (summary: string, data?: Partial<WizardData>) => void;
  /** Back to the previous step. */
  onBack: () => void;
  /** Ask the wizard to hide the finished-step lines and the purpose (a failure card needs the room). */
  onCompact?: (compact: boolean) => void;
  /** Terminal rows the step may fill, with the wizard's full or compact frame (screens/layout.ts). */
  room: StepRoom;
  /** The compact frame is on (asked for with onCompact): the step has room.compact rows, else room.full. */
  compact: boolean;
  /** False while help is shown: keys go to the help panel. */
  active: boolean;
}

/** How the wizard ended, for renderWizard. */
export type WizardOutcome =
  | { kind: 'finished' }
  | { kind: 'quit'; code: number }
  | { kind: 'doctor' };

export type { StepId };
