import path from 'node:path';
import type { OrgConfig } from '../config/index.js';
import { DEFAULT_API_VERSION } from '../commands/config.js';
import { DEFAULT_SUBJECT, SUBJECT_FIELDS, type SubjectField } from '../keys/index.js';
import { isLoginHost } from '../salesforce/environment.js';
import { ENVIRONMENTS, environmentOf, parseMyDomain, tokenSettings, type EnvironmentKind } from './environment.js';
import type { AppType } from './checklist.js';
import type { WizardPrefill } from './hooks.js';
import { checkApiVersion, checkInstanceUrl, checkKeyPath, checkMyDomain, checkSubjectField, checkUsername, checkValidityDays, type FieldCheck } from './validate.js';

export type Answers = Record<string, string>;

/**
 * One question of a step, as data: both front ends ask the same questions with the same defaults and the
 * same checks (the Ink form and the plain prompts).
 */
export interface Question {
  id: string;
  label: string;
  /** A choice instead of typed text. */
  options?: readonly { value: string; label: string; hint?: string }[];
  /** The pre-filled answer; may be fetched (the org's newest API version). */
  initial?: (answers: Answers) => string | Promise<{ value: string; hint?: string }>;
  check?: (value: string, answers: Answers) => FieldCheck;
  hint?: string | ((answers: Answers) => string | undefined);
  /** Asked only when this is true. */
  when?: (answers: Answers) => boolean;
  /** Shown while `initial` is pending. */
  loading?: string;
}

/** The seed guide's openssl prompts, with its example answers as defaults. */
export const SUBJECT_LABELS: Record<SubjectField, string> = {
  C: 'Country (2 letters)',
  ST: 'State',
  L: 'City',
  O: 'Organization',
  OU: 'Organizational unit',
  CN: 'Common name',
  emailAddress: 'Email',
};

/** Step 1: key size, validity, and the certificate subject. */
export function keyQuestions(): Question[] {
  return [
    {
      id: 'bits',
      label: 'Key size',
      options: [
        { value: '2048', label: '2048 bits', hint: "Salesforce's minimum, and enough" },
        { value: '3072', label: '3072 bits' },
        { value: '4096', label: '4096 bits', hint: 'slower to generate, no benefit for Salesforce' },
      ],
      initial: () => '2048',
    },
    { id: 'days', label: 'Valid for (days)', initial: () => '365', check: checkValidityDays, hint: 'rotate before it ends: sf-setup rotate' },
    ...SUBJECT_FIELDS.map<Question>((field) => ({
      id: field,
      label: SUBJECT_LABELS[field],
      initial: () => DEFAULT_SUBJECT[field],
      check: (value) => checkSubjectField(field, value),
      hint: field === 'C' ? 'Salesforce ignores the subject; Enter keeps each default' : undefined,
    })),
  ];
}

/** The token URL the environment answers give. */
export function tokenUrlOf(answers: Answers): string | undefined {
  const kind = answers.environment as EnvironmentKind | undefined;
  if (!kind) return undefined;
  if (kind === 'mydomain') {
    const origin = parseMyDomain(answers.myDomain ?? '');
    return origin ? tokenSettings('mydomain', origin).tokenUrl : undefined;
  }
  return tokenSettings(kind).tokenUrl;
}

export interface ConfigQuestionsInput {
  /** What the config file holds now (pre-fills every answer). */
  existing: Partial<OrgConfig>;
  prefill?: WizardPrefill;
  /** Folder of the config file: the key path is written relative to it. */
  configDir: string;
  /** The kind of app made in step 2: an External Client App logs in through the My Domain. */
  appType?: AppType;
  /** Absolute path of the key from step 1. */
  keyPath: string;
  latestApiVersion(instanceUrl: string): Promise<string | undefined>;
}

/** Step 3's questions: environment, My Domain, username, instance URL, API version, key path. */
export function configQuestions(input: ConfigQuestionsInput): Question[] {
  const { existing, prefill = {} } = input;
  const found = environmentOf(existing.tokenUrl);
  const keyRel = path.relative(input.configDir, input.keyPath);
  const keyDefault = keyRel.startsWith('..') ? input.keyPath : `./${keyRel.split(path.sep).join('/')}`;
  const eca = input.appType === 'external_client_app';
  return [
    {
      id: 'environment',
      label: 'Environment',
      options: ENVIRONMENTS.map((e) => ({ value: e.kind, label: e.label, hint: eca && e.kind !== 'mydomain' ? `${e.hint}; not for External Client Apps` : e.hint })),
      initial: () => prefill.environment ?? found?.kind ?? (eca ? 'mydomain' : 'production'),
    },
    {
      id: 'myDomain',
      label: 'My Domain',
      when: (a) => a.environment === 'mydomain',
      initial: () => prefill.myDomain ?? found?.myDomain ?? '',
      check: (value) => checkMyDomain(value),
      hint: 'Setup > My Domain, e.g. acme.my.salesforce.com (sandbox: acme--uat.sandbox.my.salesforce.com)',
    },
    {
      id: 'username',
      label: 'Username',
      initial: () => prefill.username ?? existing.username ?? '',
      check: (value, a) => {
        const checked = checkUsername(value, tokenUrlOf(a));
        // Through login or test.salesforce.com, Salesforce answers "External client app is not installed in this org".
        if (checked.ok && !checked.warning && eca && a.environment !== 'mydomain') return { ok: true, warning: 'External Client Apps log in at your My Domain, not this host: Esc back to choose My Domain' };
        return checked;
      },
      hint: (a) => (a.environment === 'sandbox' ? 'sandbox usernames end in .sandboxname, e.g. you@example.com.uat' : 'the user who will log in, e.g. you@example.com'),
    },
    {
      id: 'instanceUrl',
      label: 'Instance URL',
      initial: (a) => {
        if (a.environment === 'mydomain') return parseMyDomain(a.myDomain ?? '') ?? '';
        const known = prefill.instanceUrl ?? existing.instanceUrl;
        return known && !isLoginHost(known) ? known : '';
      },
      check: (value) => checkInstanceUrl(value),
      hint: "your org's address: Setup > My Domain, e.g. https://acme.my.salesforce.com",
    },
    {
      id: 'apiVersion',
      label: 'API version',
      loading: "Asking the org for its newest API version…",
      initial: async (a) => {
        const latest = a.instanceUrl ? await input.latestApiVersion(a.instanceUrl) : undefined;
        if (latest) return { value: latest, hint: `the newest version ${new URL(a.instanceUrl).host} offers` };
        return { value: existing.apiVersion ?? DEFAULT_API_VERSION, hint: `could not read ${a.instanceUrl}/services/data/; ${DEFAULT_API_VERSION} works on every current org` };
      },
      check: (value) => checkApiVersion(value),
    },
    {
      id: 'privateKeyPath',
      label: 'Private key',
      initial: () => keyDefault,
      check: (value) => checkKeyPath(value, input.configDir),
      hint: 'relative to the config file; made in step 1',
    },
  ];
}

/** The config values the answers give (audience is derived from the token URL unless the file names one). */
export function configValues(answers: Answers, clientId: string, existing: Partial<OrgConfig>): Partial<OrgConfig> {
  const kind = answers.environment as EnvironmentKind;
  const settings = tokenSettings(kind, kind === 'mydomain' ? parseMyDomain(answers.myDomain ?? '') : undefined);
  return {
    instanceUrl: answers.instanceUrl.replace(/\/+$/, ''),
    apiVersion: answers.apiVersion,
    tokenUrl: settings.tokenUrl,
    clientId,
    username: answers.username,
    privateKeyPath: answers.privateKeyPath,
    // An audience already in the file would override the new environment's: replace it with the right one.
    audience: existing.audience !== undefined ? settings.audience : undefined,
  };
}
