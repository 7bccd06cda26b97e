import { classifyTokenHost, deriveAudience } from '../config/index.js';
import { PRODUCTION_TOKEN_URL, SANDBOX_TOKEN_URL } from '../commands/config.js';

/** Where the org logs in: the three choices of step 3. */
export type EnvironmentKind = 'production' | 'sandbox' | 'mydomain';

export interface EnvironmentChoice {
  kind: EnvironmentKind;
  label: string;
  hint: string;
}

/** The choices, in the order shown. */
export const ENVIRONMENTS: readonly EnvironmentChoice[] = [
  { kind: 'production', label: 'Production or Developer Edition', hint: 'login.salesforce.com' },
  { kind: 'sandbox', label: 'Sandbox', hint: 'test.salesforce.com; usernames end in .sandboxname' },
  { kind: 'mydomain', label: 'My Domain', hint: 'https://NAME.my.salesforce.com; needed for External Client Apps' },
];

/** Token URL and JWT audience for an environment. For My Domain, `myDomain` is an origin (see parseMyDomain). */
export function tokenSettings(kind: EnvironmentKind, myDomain?: string): { tokenUrl: string; audience: string } {
  const tokenUrl = kind === 'production' ? PRODUCTION_TOKEN_URL : kind === 'sandbox' ? SANDBOX_TOKEN_URL : `${myDomain ?? ''}/services/oauth2/token`;
  return { tokenUrl, audience: deriveAudience(tokenUrl) };
}

/**
 * Read what people type for a My Domain: `acme`, `acme.my.salesforce.com`, a full URL, even the token URL
 * pasted whole. Returns the origin, or undefined when it cannot be a URL at all (validation says why).
 */
export function parseMyDomain(input: string): string | undefined {
  let text = input.trim();
  if (!text) return undefined;
  // A bare name is the My Domain name people see in Setup > My Domain.
  if (/^[a-z0-9-]+$/i.test(text)) text = `${text}.my.salesforce.com`;
  if (!/^[a-z]+:\/\//i.test(text)) text = `https://${text}`;
  try {
    return new URL(text).origin;
  } catch {
    return undefined;
  }
}

/** The environment a config's token URL belongs to, to pre-select it on resume. */
export function environmentOf(tokenUrl: string | undefined): { kind: EnvironmentKind; myDomain?: string } | undefined {
  if (!tokenUrl) return undefined;
  const kind = classifyTokenHost(tokenUrl);
  if (kind === 'production') return { kind: 'production' };
  if (kind === 'sandbox') return { kind: 'sandbox' };
  try {
    return { kind: 'mydomain', myDomain: new URL(tokenUrl).origin };
  } catch {
    return undefined;
  }
}
