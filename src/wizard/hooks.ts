import { readFile } from 'node:fs/promises';
import type { EmulatedOrg, ScenarioName } from '../emulator/index.js';
import type { EnvironmentKind } from './environment.js';

/** Values shown pre-filled (the user can still change them). */
export interface WizardPrefill {
  clientId?: string;
  environment?: EnvironmentKind;
  myDomain?: string;
  username?: string;
  instanceUrl?: string;
}

/**
 * Ways a caller wires the wizard to an org it controls: `sf-setup demo` pre-fills the emulated org's
 * values and takes the certificate when the user ticks "upload the certificate".
 */
export interface WizardHooks {
  prefill?: WizardPrefill;
  /** Called when the checklist's upload item is ticked; returns a line to show. */
  uploadCertificate?(certificatePath: string): Promise<string>;
  /** A line under the header saying what the wizard is talking to. */
  banner?: string;
}

/**
 * Hooks for the emulated org: step 2's upload tick uploads the certificate to it (then breaks it the way
 * `scenario` says, as `sf-setup demo --scenario` does), step 3 is pre-filled with its My Domain and user.
 */
export function emulatorHooks(org: EmulatedOrg, scenario: ScenarioName = 'ok'): WizardHooks {
  return {
    banner: `Demo: an emulated org at ${org.url}${scenario === 'ok' ? '' : ` (scenario: ${scenario})`}; nothing leaves this machine.`,
    prefill: { clientId: org.clientId, environment: 'mydomain', myDomain: org.url, username: org.username, instanceUrl: org.url },
    async uploadCertificate(certificatePath) {
      org.uploadCertificate(await readFile(certificatePath, 'utf8'), { replace: true });
      if (scenario !== 'ok') org.applyScenario(scenario);
      return 'Uploaded to the emulated app.';
    },
  };
}
