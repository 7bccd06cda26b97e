import path from 'node:path';
import type { OrgConfig } from '../config/index.js';
import { PRODUCTION_TOKEN_URL } from '../commands/config.js';

/** What to put in CI: the environment variables `sf-setup test` (and the seed's CLI) read. */
export interface CiSummary {
  /** `export NAME="value"` lines, ready to paste. */
  exports: string[];
  /** How to keep the key as a CI secret. */
  secretAdvice: string[];
}

/** Shell-quote a value for double quotes. */
const quote = (value: string) => `"${value.replace(/(["\\$`])/g, '\\$1')}"`;

/**
 * The exact variables for CI, with the key read from the key file (never printed). Token URL and API
 * version are added only when they differ from what a bare environment would default to.
 */
export function ciSummary(values: Partial<OrgConfig>, options: { cwd: string; keyPath: string }): CiSummary {
  const rel = path.relative(options.cwd, options.keyPath) || options.keyPath;
  const keyRef = rel.startsWith('..') ? options.keyPath : rel;
  const exports = [
    `export SF_INSTANCE_URL=${quote(values.instanceUrl ?? '')}`,
    `export SF_CLIENT_ID=${quote(values.clientId ?? '')}`,
    `export SF_USERNAME=${quote(values.username ?? '')}`,
    `export SF_PRIVATE_KEY="$(cat ${keyRef})"`,
  ];
  if (values.tokenUrl && values.tokenUrl !== PRODUCTION_TOKEN_URL) exports.push(`export SF_TOKEN_URL=${quote(values.tokenUrl)}`);
  if (values.apiVersion && values.apiVersion !== 'v59.0') exports.push(`export SF_API_VERSION=${quote(values.apiVersion)}`);
  return {
    exports,
    secretAdvice: [
      `Store the key as a secret, never in the repository: GitHub Actions \`gh secret set SF_PRIVATE_KEY < ${keyRef}\`; GitLab: Settings > CI/CD > Variables (masked, protected).`,
      `Pass it to the job as SF_PRIVATE_KEY; the other ${exports.length - 1 === 3 ? 'three' : exports.length - 1 === 4 ? 'four' : 'five'} are not secret but keep them beside it.`,
    ],
  };
}
