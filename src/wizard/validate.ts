import path from 'node:path';
import { existsSync } from 'node:fs';
import { validateOrgConfig, type OrgField } from '../config/index.js';
import { validateSubject, type SubjectField } from '../keys/index.js';
import { isUserError } from '../errors.js';
import { EXPIRY_WARN_DAYS, plural } from '../keys/expiry.js';
import { environmentMismatch, isLoginHost } from '../salesforce/environment.js';
import { parseMyDomain } from './environment.js';

/** The outcome of checking one field as it is typed: an error blocks Enter, a warning only informs. */
export interface FieldCheck {
  ok: boolean;
  /** Why the value cannot be used, with what to do. */
  error?: string;
  /** Something that is probably wrong but may be meant. */
  warning?: string;
}

const OK: FieldCheck = { ok: true };

/**
 * Run the config's own rules on one field, so the wizard and `sf-setup config` agree on every message.
 * `fixes`: the wizard's own fix for a problem code, where the config's names a flag the wizard does not have.
 */
function configRule(field: OrgField, value: unknown, fixes: Partial<Record<string, string>> = {}): FieldCheck {
  const problems = validateOrgConfig({ [field]: value }, { where: 'the config' }).filter((p) => p.field === field);
  const error = problems.find((p) => p.severity === 'error');
  const warning = problems.find((p) => p.severity === 'warning');
  // The config's messages start with "field: "; in a form the field is already on screen.
  const text = (p: { code: string; message: string; fix?: string }) => {
    const fix = fixes[p.code] ?? p.fix;
    return `${p.message.replace(new RegExp(`^${field}: `), '')}${fix ? ` (${fix})` : ''}`;
  };
  if (error) return { ok: false, error: text(error) };
  return warning ? { ok: true, warning: text(warning) } : OK;
}

/**
 * The Consumer Key as pasted: no spaces inside, and a plausible length. Salesforce's are 85 characters
 * starting `3MVG`; shorter than 20 is certainly a partial copy.
 */
export function checkConsumerKey(input: string): FieldCheck {
  const value = input.trim();
  // Where the key is differs by app type: the field's hint (consumerKeyWhere) says it.
  if (!value) return { ok: false, error: 'paste the Consumer Key of the app from the checklist (the hint with this field says where it is)' };
  if (/\s/.test(value)) return { ok: false, error: 'it contains spaces or line breaks: copy the Consumer Key again, as one piece' };
  const rule = configRule('clientId', value);
  if (!rule.ok) return rule;
  // Older apps' Consumer Secret is a long number: never a key.
  if (/^\d{15,25}$/.test(value)) return { ok: false, error: "this looks like an older app's Consumer Secret (a number): paste the Consumer Key, which starts with 3MVG" };
  if (value.length < 20) return { ok: false, error: `${value.length} characters is too short: a Consumer Key has about 85 (starting 3MVG). Was it cut off?` };
  if (!/^[A-Za-z0-9._]+$/.test(value)) return { ok: false, error: 'a Consumer Key has only letters, digits, "." and "_": check for a stray quote or character' };
  // The config's own warnings (a Consumer Secret pasted as the key) come first.
  if (rule.warning) return rule;
  if (!value.startsWith('3MVG')) return { ok: true, warning: 'Consumer Keys usually start with 3MVG; is this the Consumer Secret or another value?' };
  if (value.length < 60) return { ok: true, warning: `${value.length} characters; Consumer Keys usually have 85` };
  if (value.length > 120) return { ok: true, warning: `${value.length} characters; Consumer Keys usually have 85: was it pasted twice?` };
  return OK;
}

/** The username, and whether it fits the environment (sandbox usernames end in `.sandboxname`). */
export function checkUsername(input: string, tokenUrl?: string): FieldCheck {
  const value = input.trim();
  if (!value) return { ok: false, error: 'enter the Salesforce username (it looks like an email address)' };
  const rule = configRule('username', value);
  if (!rule.ok) return rule;
  const mismatch = tokenUrl ? environmentMismatch(tokenUrl, value) : null;
  return mismatch ? { ok: true, warning: mismatch } : rule;
}

/** The My Domain (or, for the emulated org, a loopback URL) as typed. */
export function checkMyDomain(input: string): FieldCheck {
  if (!input.trim()) return { ok: false, error: 'enter your My Domain, e.g. acme.my.salesforce.com (Setup > My Domain)' };
  const origin = parseMyDomain(input);
  if (!origin) return { ok: false, error: `"${input.trim()}" is not a domain or URL` };
  if (isLoginHost(origin)) return { ok: false, error: 'that is a login host, not a My Domain: choose Production or Sandbox instead, or give NAME.my.salesforce.com' };
  return configRule('tokenUrl', `${origin}/services/oauth2/token`, {
    token_url_untrusted: 'give your NAME.my.salesforce.com (Setup > My Domain); for another host, write the config with `sf-setup config --allow-untrusted-host`',
  });
}

/** The instance URL: an https origin of the org (My Domain), not the Lightning host or a login host. */
export function checkInstanceUrl(input: string): FieldCheck {
  const value = input.trim();
  if (!value) return { ok: false, error: 'enter the org\'s URL, e.g. https://acme.my.salesforce.com (Setup > My Domain)' };
  const rule = configRule('instanceUrl', value);
  if (!rule.ok) return rule;
  if (isLoginHost(value)) return { ok: true, warning: 'login.salesforce.com / test.salesforce.com log you in but are not your org\'s instance; the token test will tell you the real one' };
  return rule;
}

/** An API version like v62.0. */
export function checkApiVersion(input: string): FieldCheck {
  return configRule('apiVersion', input.trim());
}

/** The private key path: it must exist (step 1 made it) relative to the folder of the config. */
export function checkKeyPath(input: string, baseDir: string): FieldCheck {
  const value = input.trim();
  if (!value) return { ok: false, error: 'enter the path of the private key, e.g. ./certs/server.key' };
  if (!existsSync(path.resolve(baseDir, value))) return { ok: false, error: `${value} does not exist (step 1 writes certs/server.key)` };
  if (/\.(crt|pem|cer)$/i.test(value) && !/key/i.test(value)) return { ok: true, warning: 'this looks like a certificate; the config needs the private key' };
  return OK;
}

/** Key size and validity of step 1. */
export function checkValidityDays(input: string): FieldCheck {
  const n = Number(input.trim());
  if (!/^\d+$/.test(input.trim()) || !Number.isInteger(n) || n < 1 || n > 36_500) return { ok: false, error: 'a whole number of days from 1 to 36500' };
  if (n > 825) return { ok: true, warning: 'long-lived keys are riskier: rotate before it ends (sf-setup rotate)' };
  if (n <= EXPIRY_WARN_DAYS) return { ok: true, warning: `${plural(n, 'day')} is short: the doctor warns from ${EXPIRY_WARN_DAYS} days before the end, so at once` };
  return OK;
}

/** One certificate subject field, by the same rules keygen applies (validateSubject). */
export function checkSubjectField(field: SubjectField, input: string): FieldCheck {
  try {
    validateSubject({ [field]: input });
    return OK;
  } catch (error) {
    if (!isUserError(error)) throw error;
    return { ok: false, error: error.message.replace(/^certificate subject /, '') };
  }
}
