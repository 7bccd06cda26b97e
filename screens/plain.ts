import path from 'node:path';
import { createStyle, type Style } from '../src/output/style.js';
import { terminalWidth, wrapLines } from '../src/output/wrap.js';
import { isUserError } from '../src/errors.js';
import { SUBJECT_FIELDS, type CertificateSubject } from '../src/keys/index.js';
import {
  APP_TYPES,
  AUTO_RETRY,
  autoRetryUntil,
  checkConsumerKey,
  checklistItems,
  consumerKeyWhere,
  foundKeyChoicesFor,
  shortKey,
  shouldAutoRetry,
  completeStep,
  configQuestions,
  configValues,
  defaultServices,
  detectKeys,
  failureCard,
  knowledgeFrom,
  failureCardLines,
  finalSummary,
  goBack,
  goTo,
  withFreshProgress,
  initialState,
  keyQuestions,
  keyTarget,
  STEP_HELP,
  stepForNumber,
  stoppedLines,
  stepInfo,
  successLines,
  type Answers,
  type AppType,
  type Question,
  type StepId,
  type WizardData,
  type WizardHooks,
  type WizardServices,
  type WizardState,
  previewHeading,
  foundKeysHeading,
  keyProblemsToList,
  canCertify,
  certifiedSummary,
  CERTIFY_DAYS,
  CERTIFY_HINT,
} from '../src/wizard/index.js';
import type { WizardOptions } from './render.js';

/** The two prompts the plain wizard asks with (each its own package: the @inquirer/prompts umbrella would also load the editor prompt's 650 KB of encodings). */
type Prompts = { select: typeof import('@inquirer/select').default; input: typeof import('@inquirer/input').default };
const BACK = Symbol('back');
type Back = typeof BACK;
type StepResult = Back | { summary: string; data?: Partial<WizardData> } | { goto: StepId; because?: string } | { exit: number } | { doctor: true };

interface PlainEnv {
  prompts: Prompts;
  context: { input?: NodeJS.ReadStream; output?: NodeJS.WriteStream };
  print: (line?: string) => void;
  style: Style;
  cwd: string;
  configPath: string;
  keyDir: string;
  services: WizardServices;
  hooks: WizardHooks;
}

/**
 * The same wizard as line-by-line questions (@inquirer's select and input), for screen readers and terminals where a
 * redrawing UI misbehaves: same steps, same checks, same files. Ctrl+C exits 130 having written nothing
 * partial (every write is atomic and happens between questions).
 */
export async function runPlainWizard(options: WizardOptions): Promise<number> {
  const [{ default: select }, { default: input }] = await Promise.all([import('@inquirer/select'), import('@inquirer/input')]);
  const prompts: Prompts = { select, input };
  const out = options.stdout ?? process.stdout;
  const services = options.services ?? defaultServices(options.env);
  const env: PlainEnv = {
    prompts,
    context: { input: options.stdin, output: options.stdout },
    // Wrapped at spaces to the terminal (the terminal's own wrap cuts words: "privat e key").
    print: (line = '') => out.write(`${wrapLines([line], terminalWidth(out))}\n`),
    style: createStyle(options.color),
    cwd: options.cwd,
    configPath: path.resolve(options.cwd, options.configPath),
    keyDir: options.keyDir,
    services,
    hooks: options.hooks ?? {},
  };
  try {
    const detect = () => services.detectProgress(options.cwd, { configPath: options.configPath, keyDir: options.keyDir });
    let state = initialState(await detect());
    if (env.hooks.banner) env.print(env.hooks.banner);
    while (state.step !== 'finished') {
      const info = stepInfo(state.step);
      env.print();
      env.print(env.style.bold(`${info.number}/4 ${info.title}`));
      env.print(info.purpose);
      const result = await runStep(state, env);
      if (result === BACK) state = await withFreshProgress(goBack(state), detect);
      else if ('goto' in result) state = await withFreshProgress(goTo(state, result.goto, result.because), detect);
      else if ('exit' in result) {
        for (const line of stoppedLines('test_failed', env.style)) env.print(line);
        return result.exit;
      } else if ('doctor' in result) {
        const code = options.runDoctor ? await options.runDoctor() : 1;
        env.print();
        for (const line of stoppedLines('doctor', env.style)) env.print(line);
        return code;
      }
      else {
        env.print(`${env.style.green('✓')} ${info.number}/4 ${info.title}: ${result.summary}`);
        state = completeStep(state, result.summary, result.data);
      }
    }
    env.print();
    if (state.data.result) for (const line of successLines(state.data.result, env.style)) env.print(line);
    env.print();
    for (const line of finalSummary(state.data, { cwd: options.cwd, style: env.style, width: out.columns })) env.print(line);
    return 0;
  } catch (error) {
    // Ctrl+C in a prompt: quiet, 130.
    if (error instanceof Error && error.name === 'ExitPromptError') {
      env.print();
      for (const line of stoppedLines('interrupted', env.style)) env.print(line);
      return 130;
    }
    throw error;
  }
}

function runStep(state: WizardState, env: PlainEnv): Promise<StepResult> {
  switch (state.step) {
    case 'keys':
      return keysStep(state, env);
    case 'app':
      return appStep(state, env);
    case 'config':
      return configStep(state, env);
    default:
      return testStep(state, env);
  }
}

/** A choice with Back and Help appended; Help prints the step's help and asks again. */
async function choose<V extends string>(env: PlainEnv, step: StepId, message: string, choices: { value: V; name: string; description?: string }[], initial?: V): Promise<V | Back> {
  for (;;) {
    const answer = await env.prompts.select<string>(
      {
        message,
        choices: [...choices, { value: '__back', name: '← Back' }, { value: '__help', name: '? Help' }],
        default: initial,
      },
      env.context,
    );
    if (answer === '__back') return BACK;
    if (answer === '__help') {
      for (const line of STEP_HELP[step]) env.print(`  • ${line}`);
      continue;
    }
    return answer as V;
  }
}

/** Ask questions in order; `<` goes back one question (from the first: back a step), `?` prints help. */
async function ask(env: PlainEnv, step: StepId, questions: readonly Question[], start: Answers = {}): Promise<Answers | Back> {
  const answers: Answers = { ...start };
  let index = 0;
  for (;;) {
    const visible = questions.filter((q) => !q.when || q.when(answers));
    if (index >= visible.length) return answers;
    const q = visible[index];
    const known = answers[q.id] as string | undefined;
    let initial = known;
    let hint = typeof q.hint === 'function' ? q.hint(answers) : q.hint;
    if (initial === undefined && q.initial) {
      const value = q.initial(answers);
      if (typeof value === 'string') initial = value;
      else {
        if (q.loading) env.print(q.loading);
        const r = await value;
        initial = r.value;
        hint = r.hint ?? hint;
      }
    }
    let answer: string | Back;
    if (q.options) {
      answer = await choose(env, step, q.label, q.options.map((o) => ({ value: o.value, name: o.label, description: o.hint })), initial);
    } else {
      if (hint) env.print(env.style.dim(`  ${hint}`));
      const typed = await env.prompts.input(
        {
          message: `${q.label} (< back, ? help)`,
          // Once answered, the line is the question and its answer: the keys it offered are not kept on it.
          theme: { style: { message: (text: string, status: string) => (status === 'done' ? text.replace(' (< back, ? help)', '') : text) } },
          default: initial || undefined,
          // The answer line says what `<` and `?` did, rather than echoing them as answers.
          transformer: (value: string, { isFinal }: { isFinal: boolean }) => (isFinal && value.trim() === '<' ? '(back)' : isFinal && value.trim() === '?' ? '(help)' : value),
          validate: (value: string) => {
            if (value.trim() === '<' || value.trim() === '?') return true;
            const check = q.check?.(value, answers);
            return !check || check.ok ? true : (check.error ?? 'not valid');
          },
        },
        env.context,
      );
      if (typed.trim() === '?') {
        for (const line of STEP_HELP[step]) env.print(`  • ${line}`);
        continue;
      }
      answer = typed.trim() === '<' ? BACK : typed.trim();
      if (answer !== BACK) {
        // A value with a warning is kept only when the user says so (the full-screen field's second Enter).
        const warning = q.check?.(answer, answers).warning;
        if (warning) {
          env.print(`${env.style.yellow('!')} ${warning}`);
          const keep = await choose(env, step, `Keep "${answer.length > 40 ? `${answer.slice(0, 37)}…` : answer}"?`, [
            { value: 'keep' as const, name: 'Yes, keep it' },
            { value: 'again' as const, name: 'No, type it again' },
          ], 'keep');
          if (keep !== 'keep') continue;
        }
      }
    }
    if (answer === BACK) {
      if (index === 0) return BACK;
      index -= 1;
      delete answers[visible[index].id];
      continue;
    }
    answers[q.id] = answer;
    index += 1;
  }
}

async function keysStep(state: WizardState, env: PlainEnv): Promise<StepResult> {
  const found = state.data.keys ?? state.progress.keys;
  const rel = (p: string) => path.relative(env.cwd, p) || p;
  if (found.keyExists || found.certificateExists) {
    env.print(`${foundKeysHeading(found)}: ${rel(found.keyPath)}${found.bits ? ` (RSA ${found.bits})` : found.keyExists ? '' : ' (missing)'}, ${rel(found.certificatePath)}${found.certificateExists ? '' : ' (missing)'}`);
    if (found.fingerprint) env.print(`  SHA-256 ${found.fingerprint}`);
    if (found.notAfter) env.print(`  ${found.expired ? 'Expired' : 'Expires'} ${found.notAfter.toISOString().slice(0, 10)} (${found.daysLeft} days ${found.expired ? 'ago' : 'left'})`);
    if (found.matches !== undefined) env.print(`  ${found.matches ? env.style.green('✓') : env.style.red('✗')} key and certificate ${found.matches ? 'belong together' : 'do NOT belong together'}`);
    for (const p of keyProblemsToList(found)) env.print(`  ${env.style.red('✗')} ${p}`);
    const choice = await choose(env, 'keys', 'Key and certificate', [
      ...(found.usable ? [{ value: 'reuse' as const, name: 'Reuse them' }] : []),
      ...(canCertify(found) ? [{ value: 'certify' as const, name: 'Make a certificate for this key', description: CERTIFY_HINT }] : []),
      { value: 'redo' as const, name: 'Make a new pair (old files kept as .bak)' },
    ]);
    if (choice === BACK) return BACK;
    if (choice === 'reuse') return { summary: `${rel(found.keyPath)} and ${rel(found.certificatePath)}, reused`, data: { keys: found, keyJustCreated: false } };
    if (choice === 'certify') {
      const facts = await env.services.certificateFor(found, CERTIFY_DAYS);
      return { summary: certifiedSummary(facts, rel), data: { keys: facts, keyJustCreated: false } };
    }
  }
  const answers = await ask(env, 'keys', keyQuestions());
  if (answers === BACK) return BACK;
  const subject: CertificateSubject = {};
  for (const field of SUBJECT_FIELDS) subject[field] = answers[field];
  env.print(`Generating a ${answers.bits}-bit RSA key and a ${answers.days}-day certificate…`);
  try {
    const written = await env.services.generateKeys(env.cwd, {
      ...keyTarget(found, env.cwd, env.keyDir),
      bits: Number(answers.bits) as 2048 | 3072 | 4096,
      days: Number(answers.days),
      subject,
    });
    if (!written) return { exit: 130 };
    env.print(`${env.style.green('✓')} Private key  ${rel(written.keyPath)} (mode 0600, keep it secret)`);
    env.print(`${env.style.green('✓')} Certificate  ${rel(written.certificatePath)} (upload this one)`);
    env.print(`  SHA-256 ${written.fingerprint}`);
    for (const b of written.backups) env.print(`  Kept the old file as ${rel(b)}`);
    const facts = detectKeys(written.keyPath, written.certificatePath);
    return { summary: `${rel(written.keyPath)} (RSA ${written.bits}) and ${rel(written.certificatePath)}, new`, data: { keys: facts, keyJustCreated: true, backups: written.backups, gitignoreAdded: written.gitignoreAdded } };
  } catch (error) {
    if (!isUserError(error)) throw error;
    env.print(`${env.style.red('✗')} ${error.message}${error.fix ? `\n  fix: ${error.fix}` : ''}`);
    return keysStep(state, env);
  }
}

async function appStep(state: WizardState, env: PlainEnv): Promise<StepResult> {
  const found = foundKeyChoicesFor(state);
  const existing = found.key;
  if (existing) {
    const choice = await choose(env, 'app', found.title, found.items.map((c) => ({ value: c.value, name: c.label, description: c.hint })), found.initial);
    if (choice === BACK) return BACK;
    if (choice === 'reuse') return { summary: `Consumer Key ${shortKey(existing)}, reused`, data: { clientId: existing, appJustCreated: found.appJustCreated } };
    if (choice === 'change') {
      const answers = await ask(env, 'app', [{ id: 'clientId', label: 'Consumer Key', initial: () => '', check: (v) => checkConsumerKey(v), hint: consumerKeyWhere(state.data.appType) }]);
      if (answers === BACK) return appStep(state, env);
      // Only the key changed: the app is as old as it was.
      return { summary: `Consumer Key ${shortKey(answers.clientId)}`, data: { clientId: answers.clientId, appJustCreated: found.appJustCreated } };
    }
  }
  const appType = await choose<AppType>(env, 'app', 'Which kind of app will you create?', APP_TYPES.map((a) => ({ value: a.type, name: a.label, description: a.hint })));
  if (appType === BACK) return BACK;
  const iu = await choose(env, 'app', 'Log in as a dedicated API integration user (least privilege)?', [
    { value: 'no' as const, name: 'No, an existing user' },
    { value: 'yes' as const, name: 'Yes, add the integration-user steps' },
  ]);
  if (iu === BACK) return appStep(state, env);
  const certificatePath = (state.data.keys ?? state.progress.keys).certificatePath;
  const items = checklistItems(appType, certificatePath, iu === 'yes');
  for (let i = 0; i < items.length; ) {
    const item = items[i];
    env.print();
    env.print(env.style.bold(`${i + 1}/${items.length}. ${item.title}`));
    if (item.path) env.print(`  ${item.path}`);
    for (const v of item.values) env.print(`  ${v.label}: ${v.value}`);
    if (item.note) env.print(env.style.dim(`  ${item.note}`));
    const done = await choose(env, 'app', 'Done in Setup?', [{ value: 'done' as const, name: 'Done' }]);
    if (done === BACK) {
      if (i === 0) return appStep(state, env);
      i -= 1;
      continue;
    }
    if (item.uploadsCertificate && env.hooks.uploadCertificate) env.print(`${env.style.green('✓')} ${await env.hooks.uploadCertificate(certificatePath)}`);
    i += 1;
  }
  const answers = await ask(env, 'app', [{ id: 'clientId', label: 'Consumer Key', initial: () => env.hooks.prefill?.clientId ?? '', check: (v) => checkConsumerKey(v), hint: consumerKeyWhere(appType) }]);
  if (answers === BACK) return appStep(state, env);
  const label = APP_TYPES.find((a) => a.type === appType)!.label;
  return { summary: `${label}, Consumer Key ${shortKey(answers.clientId)}`, data: { appType, integrationUser: iu === 'yes', clientId: answers.clientId, appJustCreated: true } };
}

async function configStep(state: WizardState, env: PlainEnv): Promise<StepResult> {
  const existing = state.progress.config;
  const clientId = state.data.clientId ?? existing.values.clientId ?? '';
  const rel = (p: string) => path.relative(env.cwd, p) || p;
  if (existing.unreadable) {
    env.print(`${env.style.red('✗')} ${existing.unreadable.message}`);
    if (existing.unreadable.fix) env.print(env.style.dim(`  fix: ${existing.unreadable.fix}`));
    const choice = await choose(env, 'config', 'The config file (Ctrl+C to quit and fix it by hand)', [{ value: 'aside' as const, name: 'Set it aside (kept as .bak) and write a new one' }]);
    if (choice === BACK) return BACK;
    env.print(`${env.style.green('✓')} Set aside as ${rel(await env.services.setAsideConfig(existing.path))}`);
  }
  if (existing.complete && existing.values.clientId === clientId && !state.data.keyJustCreated) {
    const v = existing.values;
    env.print(`Found ${rel(existing.path)}: ${v.username} at ${v.tokenUrl}, instance ${v.instanceUrl}, API ${v.apiVersion}`);
    const choice = await choose(env, 'config', 'Configuration', [
      { value: 'reuse' as const, name: 'Reuse it' },
      { value: 'edit' as const, name: 'Change it' },
    ]);
    if (choice === BACK) return BACK;
    if (choice === 'reuse') return { summary: `${rel(existing.path)}, reused`, data: { configPath: existing.path, config: v } };
  }
  const keyPath = (state.data.keys ?? state.progress.keys).keyPath;
  const answers = await ask(env, 'config', configQuestions({ existing: existing.values, prefill: env.hooks.prefill, configDir: path.dirname(env.configPath), appType: state.data.appType, keyPath, latestApiVersion: env.services.latestApiVersion }));
  if (answers === BACK) return BACK;
  const values = configValues(answers, clientId, existing.values);
  const preview = await env.services.previewConfig(env.configPath, values);
  if (preview.exists) {
    env.print(previewHeading(preview, rel(preview.path)));
    for (const c of preview.changes) env.print(`  ${c.field}: ${c.from === undefined ? '(none)' : String(c.from)} -> ${String(c.to)}`);
    if (!preview.changes.length) env.print('  nothing changes');
  } else {
    env.print(previewHeading(preview, rel(preview.path)));
    for (const line of preview.text.split('\n')) env.print(`  ${line}`);
  }
  const go = await choose(env, 'config', 'Write it?', [{ value: 'write' as const, name: preview.exists ? 'Save the changes' : 'Write the file' }]);
  if (go === BACK) return configStep(state, env);
  try {
    const saved = await env.services.saveConfig(env.configPath, values);
    const ignored = saved.gitignoreAdded.length ? `; .gitignore += ${saved.gitignoreAdded.join(', ')}` : '; already in .gitignore';
    return {
      summary: `${saved.created ? 'Wrote' : 'Updated'} ${rel(saved.path)}${ignored}`,
      data: { configPath: saved.path, config: saved.values, configCreated: saved.created, gitignoreAdded: [...(state.data.gitignoreAdded ?? []), ...saved.gitignoreAdded] },
    };
  } catch (error) {
    if (!isUserError(error)) throw error;
    env.print(`${env.style.red('✗')} ${error.message}${error.fix ? `\n  fix: ${error.fix}` : ''}`);
    return configStep(state, env);
  }
}

async function testStep(state: WizardState, env: PlainEnv): Promise<StepResult> {
  let autoUntil: number | null = null;
  for (;;) {
    env.print('Requesting a token…');
    try {
      const result = await env.services.tokenTest(env.cwd, env.configPath);
      return { summary: `Token issued for ${result.username}`, data: { result } };
    } catch (error) {
      const card = failureCard(error, knowledgeFrom(state.data, env.cwd));
      if (shouldAutoRetry(card, autoUntil, Date.now())) {
        env.print(`${env.style.red('✗')} ${card.title} [${card.code}]; trying again in 30 s (Ctrl+C stops)`);
        await new Promise((r) => setTimeout(r, AUTO_RETRY.intervalMs));
        continue;
      }
      autoUntil = null;
      for (const line of failureCardLines(card, env.style)) env.print(line);
      const fixStep = card.fixStep ? stepForNumber(card.fixStep) : undefined;
      const choice = await choose(env, 'test', 'What next?', [
        { value: 'retry', name: 'Try again' },
        ...(card.autoRetry ? [{ value: 'auto', name: 'Retry every 30 s for up to 10 minutes' }] : []),
        ...(fixStep && fixStep !== 'test' ? [{ value: 'goto', name: `Go back to step ${stepInfo(fixStep).number} (${stepInfo(fixStep).title})` }] : []),
        { value: 'doctor', name: 'Run the full doctor' },
        { value: 'quit', name: 'Quit' },
      ], card.autoRetry ? 'auto' : fixStep ? 'goto' : 'retry');
      if (choice === BACK) return BACK;
      if (choice === 'auto') autoUntil = autoRetryUntil(Date.now());
      else if (choice === 'goto' && fixStep) return { goto: fixStep, because: card.code };
      else if (choice === 'doctor') return { doctor: true };
      else if (choice === 'quit') return { exit: 1 };
    }
  }
}
