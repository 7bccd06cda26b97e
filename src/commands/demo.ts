import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { emulatorConfig, startEmulator, type EmulatedOrg, type ScenarioName } from '../emulator/index.js';
import { EXIT, UserError } from '../errors.js';
import { saveOrgConfig } from './config.js';
import { contextIn, isInteractive, print, type CommandContext } from './context.js';
import { runDoctor } from './doctor.js';
import { scenarioName } from './emulator.js';
import { createKeyPair } from '../keys/create-pair.js';
import { runTest } from './test.js';

/** The demo's org ends with it: how to have one again, for `sf-setup test` and `doctor` in the folder. */
const EMULATOR_STOPPED = 'The emulated org stopped with the demo; `sf-setup emulator --cert certs/server.crt --write-config` in that folder starts one again.';

export interface DemoOptions {
  scenario: string;
  plain?: boolean;
}

/**
 * `sf-setup demo`: the whole product against an emulated org started in-process, in a fresh temporary
 * folder. In a terminal it runs the wizard (pre-wired to the emulated org); otherwise the same steps as
 * plain output: key and certificate, "upload" to the app, config, token test, doctor.
 */
export async function runDemo(options: DemoOptions, ctx: CommandContext): Promise<number> {
  const scenario = scenarioName(options.scenario);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sf-setup-demo-')).catch((error: NodeJS.ErrnoException) => {
    throw new UserError('write_failed', `cannot make the demo's folder in ${os.tmpdir()} (${error.code ?? error.message})`, { fix: 'set TMPDIR to a folder you can write to', cause: error });
  });
  const org = await startEmulator({ scenario: 'ok' });
  try {
    const interactive = !options.plain && isInteractive(ctx);
    if (interactive) {
      const { runWizardAgainstEmulator } = await import('./init.js');
      const code = await runWizardAgainstEmulator(contextIn(ctx, dir), org, scenario);
      // The wizard's summary names the files relative to the demo's temporary folder: say where that is.
      if (code !== 130) {
        print(ctx, `\nFiles are in ${dir}`);
        if (code !== 0) print(ctx, ctx.style.dim(EMULATOR_STOPPED));
      }
      return code;
    }
    return await plainDemo(ctx, dir, org, scenario);
  } finally {
    await org.close();
  }
}

async function plainDemo(ctx: CommandContext, dir: string, org: EmulatedOrg, scenario: ScenarioName): Promise<number> {
  const { bold, dim, green } = ctx.style;
  const step = (n: number, title: string) => print(ctx, `\n${bold(`${n}/4 ${title}`)}`);
  print(ctx, `${bold('sf-setup demo')}: the JWT Bearer Flow from nothing to a token, against an emulated org on ${org.url}`);
  print(ctx, dim(`Working in ${dir}${scenario === 'ok' ? '' : `; scenario: ${scenario}`}`));

  step(1, 'Keys and certificate');
  const keys = await createKeyPair(dir, { dir: 'certs', bits: 2048, days: 365 });
  print(ctx, `${green('✓')} ${path.relative(dir, keys.keyPath)} (RSA ${keys.bits}, mode 0600) and ${path.relative(dir, keys.certificatePath)}`);
  print(ctx, dim(`  SHA-256 ${keys.fingerprint}`));

  step(2, 'App in Salesforce');
  org.uploadCertificate(await readFile(keys.certificatePath, 'utf8'), { replace: true });
  print(ctx, `${green('✓')} Uploaded ${path.relative(dir, keys.certificatePath)} to the emulated Connected App (Use digital signatures)`);
  print(ctx, dim('  In a real org: Setup > App Manager > New Connected App > Enable OAuth Settings > Use digital signatures.'));
  print(ctx, `${green('✓')} Consumer Key: ${org.clientId.slice(0, 12)}…  (pre-authorized user ${org.username})`);
  if (scenario !== 'ok') {
    // The preset breaks the org the way a real misconfiguration would; it keeps the uploaded certificate.
    org.applyScenario(scenario);
    print(ctx, `${ctx.style.yellow('!')} The emulated org now behaves as "${scenario}".`);
  }

  step(3, 'Configuration');
  const saved = await saveOrgConfig({
    file: path.join(dir, '.sfconnect.json'),
    values: emulatorConfig(org),
  });
  print(ctx, `${green('✓')} Wrote .sfconnect.json; added ${saved.gitignoreAdded.join(', ') || 'nothing'} to .gitignore`);

  step(4, 'Token test');
  const sub = contextIn(ctx, dir, { stderr: ctx.stdout, errStyle: ctx.style });
  const testCode = await runTest({ timeout: '10' }, sub);

  print(ctx, `\n${bold('Doctor')}`);
  const doctorCode = await runDoctor({ timeout: '10' }, sub);

  print(ctx, `\nFiles are in ${dir}:`);
  print(ctx, `  .sfconnect.json  certs/server.key  certs/server.crt  .gitignore`);
  print(ctx, dim(`  ${EMULATOR_STOPPED}`));
  return Math.max(testCode, doctorCode) > 0 ? EXIT.failed : EXIT.ok;
}
