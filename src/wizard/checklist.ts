import { CALLBACK_URL } from '../salesforce/environment.js';
import { ECA_JWT_UPLOAD, ECA_OAUTH_POLICIES, SCOPE_API_LABEL, SCOPE_API_OLDER_LABEL } from '../salesforce/setup-pages.js';
import type { WizardState } from './controller.js';

/**
 * Step 2's checklists: what to click in Salesforce Setup, and the exact values to type, for a Connected App
 * and for an External Client App, plus the optional dedicated integration user. Facts from
 * /work/shared/reference/salesforce-jwt-facts.md, the seed guide and the integration-user guide.
 */

/** The two kinds of app that support the JWT Bearer Flow. */
export type AppType = 'connected_app' | 'external_client_app';

/** One value to type or pick in Setup, shown verbatim so it can be copied. */
export interface ChecklistValue {
  label: string;
  value: string;
}

/** One thing to do in Setup; the user ticks it when done. */
export interface ChecklistItem {
  id: string;
  title: string;
  /** Where it is: `Setup > App Manager > ...`. */
  path?: string;
  values: ChecklistValue[];
  /** Why it matters, or a Salesforce quirk to know. */
  note?: string;
  /** Marks the item that uploads the certificate (the emulated org takes the upload when it is ticked). */
  uploadsCertificate?: boolean;
}

export interface AppTypeChoice {
  type: AppType;
  label: string;
  hint: string;
}

/** Step 2 with a Consumer Key already known: keep it, paste another, or go through the checklist again. */
export type FoundKeyChoice = 'reuse' | 'change' | 'redo';

/** Step 2's known-key choices for the wizard's state: what both front ends offer when a Consumer Key is known. */
export function foundKeyChoicesFor(state: WizardState): ReturnType<typeof foundKeyChoices> {
  return foundKeyChoices({
    keyJustCreated: Boolean(state.data.keyJustCreated),
    returnedFor: state.data.returnedFor,
    entered: state.data.clientId,
    inConfig: state.progress.config.values.clientId,
    appJustCreated: state.data.appJustCreated,
  });
}

/**
 * Step 2 when a Consumer Key is already known (typed earlier in this run, back from a failed test; else the
 * config's): the key, how to name it, the choices and the one to offer first. Back from a failed test for a
 * wrong key, paste another (the app is set up); a new certificate to upload, the checklist; else reuse the
 * app (a setting fixed in Setup needs nothing typed again). Keeping the app or only its key keeps its age
 * (`appJustCreated`: Salesforce may still be applying an app set up minutes ago).
 */
export function foundKeyChoices(known: { keyJustCreated: boolean; returnedFor?: string; entered?: string; inConfig?: string; appJustCreated?: boolean }): {
  key: string | undefined;
  title: string;
  items: { value: FoundKeyChoice; label: string; hint: string }[];
  initial: FoundKeyChoice;
  appJustCreated: boolean;
} {
  const key = known.entered ?? known.inConfig;
  const short = key ? shortKey(key) : '';
  const title = key === known.inConfig ? `Found the Consumer Key ${short} in the config` : `The Consumer Key ${short}, entered earlier`;
  const items: { value: FoundKeyChoice; label: string; hint: string }[] = [
    { value: 'reuse', label: 'Reuse the app', hint: known.keyJustCreated ? 'only if you upload the new certificate yourself' : 'it is already set up' },
    { value: 'redo', label: 'Go through the checklist', hint: 'a new app, or a new certificate to upload' },
    { value: 'change', label: 'Paste another Consumer Key', hint: 'the app is set up; the key was wrong or from another app' },
  ];
  const initial: FoundKeyChoice = known.returnedFor === 'invalid_client_id' ? 'change' : known.keyJustCreated ? 'redo' : 'reuse';
  return { key, title, items, initial, appJustCreated: Boolean(known.appJustCreated) };
}

/** Step 2's first question. Since Spring '26 new orgs cannot create Connected Apps unless an admin allows it. */
export const APP_TYPES: readonly AppTypeChoice[] = [
  {
    type: 'connected_app',
    label: 'Connected App',
    hint: 'the classic kind; orgs created since Spring \'26 cannot make new ones unless an admin turns on "Allow creation of connected apps"',
  },
  {
    type: 'external_client_app',
    label: 'External Client App',
    hint: 'the default for new orgs since Spring \'26; logs in through your My Domain',
  },
];

export const DEFAULT_APP_NAME = 'JWT Integration';
const SCOPE_API = `${SCOPE_API_LABEL} (older label: ${SCOPE_API_OLDER_LABEL})`;
const SCOPE_REFRESH = 'Perform requests at any time (refresh_token, offline_access)';

/** The API name Salesforce derives from an app name: letters, digits and single underscores. */
export function apiNameFor(appName: string): string {
  return appName.trim().replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').replace(/^(\d)/, 'X$1') || 'sf_setup';
}

export interface ChecklistOptions {
  /** Absolute path of the certificate to upload. */
  certificatePath: string;
  appName?: string;
  contactEmail?: string;
}

/** The items for one app type, in the order Setup's pages ask for them. */
export function appChecklist(type: AppType, options: ChecklistOptions): ChecklistItem[] {
  const appName = options.appName ?? DEFAULT_APP_NAME;
  const email = options.contactEmail ?? 'your email';
  const basics: ChecklistValue[] = [
    { label: type === 'connected_app' ? 'Connected App Name' : 'External Client App Name', value: appName },
    { label: 'API Name', value: apiNameFor(appName) },
    { label: 'Contact Email', value: email },
  ];
  if (type === 'connected_app') {
    return [
      { id: 'create', title: 'Create the Connected App', path: 'Setup (gear icon) > App Manager > New Connected App', values: basics },
      {
        id: 'oauth',
        title: 'Enable OAuth Settings',
        path: 'API (Enable OAuth Settings) section',
        values: [
          { label: 'Enable OAuth Settings', value: 'checked' },
          { label: 'Callback URL', value: CALLBACK_URL },
        ],
        note: 'The callback URL is required by the form but never used by the JWT flow.',
      },
      {
        id: 'certificate',
        title: 'Upload the certificate',
        path: 'Use digital signatures > Choose File',
        values: [
          { label: 'Use digital signatures', value: 'checked' },
          { label: 'File', value: options.certificatePath },
        ],
        note: 'Upload the certificate (.crt), never the private key.',
        uploadsCertificate: true,
      },
      {
        id: 'scopes',
        title: 'Select the OAuth scopes, then Save and Continue',
        path: 'Selected OAuth Scopes > Add',
        values: [
          { label: 'Scope', value: SCOPE_API },
          { label: 'Scope', value: SCOPE_REFRESH },
        ],
        note: 'Salesforce takes 2-10 minutes to make a new app usable.',
      },
      {
        id: 'policies',
        title: 'Pre-authorize users',
        path: 'App Manager > your app > ▾ > Manage > Edit Policies',
        values: [{ label: 'Permitted Users', value: 'Admin approved users are pre-authorized' }],
        note: 'Otherwise the token request fails with "user hasn\'t approved this consumer".',
      },
      {
        id: 'assign',
        title: "Add the user's profile or permission set",
        path: 'Same page: Manage Profiles / Manage Permission Sets',
        values: [{ label: 'Add', value: "the profile or a permission set of the user who will log in" }],
      },
      {
        id: 'consumer-key',
        title: 'Copy the Consumer Key',
        path: 'App Manager > your app > ▾ > View > Manage Consumer Details',
        values: [{ label: 'Copy', value: 'Consumer Key (not the Secret)' }],
        note: 'Salesforce emails you a verification code first.',
      },
    ];
  }
  return [
    {
      id: 'create',
      title: 'Create the External Client App',
      path: 'Setup (gear icon) > App Manager > New External Client App',
      values: [...basics, { label: 'Distribution State', value: 'Local' }],
    },
    {
      id: 'oauth',
      title: 'Enable OAuth',
      path: 'API (Enable OAuth Settings)',
      values: [
        { label: 'Enable OAuth', value: 'checked' },
        { label: 'Callback URL', value: CALLBACK_URL },
        { label: 'Scope', value: SCOPE_API },
        { label: 'Scope', value: SCOPE_REFRESH },
      ],
      note: 'The callback URL is required by the form but never used by the JWT flow.',
    },
    {
      id: 'certificate',
      title: 'Enable the JWT Bearer Flow and upload the certificate',
      path: ECA_JWT_UPLOAD,
      values: [
        { label: 'Enable JWT Bearer Flow', value: 'checked' },
        { label: 'File', value: options.certificatePath },
      ],
      note: 'Upload the certificate (.crt), never the private key. Then Create.',
      uploadsCertificate: true,
    },
    {
      id: 'policies',
      title: 'Pre-authorize users',
      path: `Your app > ${ECA_OAUTH_POLICIES}`,
      values: [
        { label: 'Permitted Users', value: 'Admin approved users are pre-authorized' },
        { label: 'Select Profiles / Permission Sets', value: "the user's profile or a permission set" },
      ],
      note: 'Salesforce takes 2-10 minutes to apply app changes.',
    },
    {
      id: 'consumer-key',
      title: 'Copy the Consumer Key',
      path: 'Your app > Settings > OAuth Settings > Consumer Key and Secret',
      values: [{ label: 'Copy', value: 'Consumer Key (not the Secret)' }],
      note: 'Salesforce emails you a verification code first. In the wizard\'s step 3 (Configuration), choose My Domain: External Client Apps log in there.',
    },
  ];
}

/**
 * The optional least-privilege branch: a dedicated Salesforce Integration user instead of a named admin.
 * An API-only user also needs the app explicitly installed (Connected Apps).
 */
export function integrationUserChecklist(type: AppType): ChecklistItem[] {
  const items: ChecklistItem[] = [
    {
      id: 'iu-user',
      title: 'Create the integration user',
      path: 'Setup > Users > New User',
      values: [
        { label: 'User License', value: 'Salesforce Integration' },
        { label: 'Profile', value: 'Minimum Access - API Only Integrations' },
      ],
      note: 'A free license; no UI login, so a leaked key cannot open the UI.',
    },
    {
      id: 'iu-psl',
      title: 'Assign the permission set license',
      path: 'The user > Permission Set License Assignments > Edit Assignments',
      values: [{ label: 'Permission Set License', value: 'Salesforce API Integration' }],
    },
    {
      id: 'iu-ps',
      title: 'Give it only what it needs',
      path: 'Setup > Permission Sets > New, then Manage Assignments',
      values: [{ label: 'Permission set', value: 'object and field access the tool needs; assign it to the user' }],
    },
  ];
  if (type === 'connected_app') {
    items.push({
      id: 'iu-install',
      title: 'Install the app explicitly',
      path: 'Setup > Connected Apps OAuth Usage > your app > Install',
      values: [{ label: 'Action', value: 'Install' }],
      note: 'API-only users cannot use an app that is not installed in the org.',
    });
  }
  return items;
}

/** Where Setup shows the Consumer Key for this kind of app: the checklist's own step, for the key's field hint. */
export function consumerKeyWhere(type: AppType = 'connected_app'): string {
  return appChecklist(type, { certificatePath: '' }).find((item) => item.id === 'consumer-key')!.path!;
}

/** The item ids ticked for one app type, from the run's ticks ("connected_app/create": the two checklists share item ids, not their steps). */
export function ticksOf(ticks: ReadonlySet<string>, type: AppType): ReadonlySet<string> {
  const prefix = `${type}/`;
  return new Set([...ticks].filter((tick) => tick.startsWith(prefix)).map((tick) => tick.slice(prefix.length)));
}

/** The run's ticks with one app type's replaced by `ids`. */
export function withTicks(ticks: ReadonlySet<string>, type: AppType, ids: ReadonlySet<string>): ReadonlySet<string> {
  const prefix = `${type}/`;
  return new Set([...[...ticks].filter((tick) => !tick.startsWith(prefix)), ...[...ids].map((id) => prefix + id)]);
}

/** `3MVG9fe4g9…k.Z`: recognisable, not the whole key on screen. */
export function shortKey(key: string): string {
  return key.length > 16 ? `${key.slice(0, 10)}…${key.slice(-3)}` : key;
}

/**
 * The checklist for an app type. The integration-user items come before the app's policies: the user (and
 * its permission set) must exist before the policies can name them.
 */
export function checklistItems(type: AppType, certificatePath: string, integrationUser: boolean): ChecklistItem[] {
  const items = appChecklist(type, { certificatePath });
  if (!integrationUser) return items;
  const at = items.findIndex((item) => item.id === 'policies');
  return [...items.slice(0, at), ...integrationUserChecklist(type), ...items.slice(at)];
}
