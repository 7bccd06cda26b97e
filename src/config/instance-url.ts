import path from 'node:path';
import type { ResolvedConfig } from './types.js';

/** An instanceUrl someone set that differs from the org's real one, named as where it was set, with its fix. */
export interface StaleInstanceUrl {
  /** Where it was set: "instanceUrl in .sfconnect.json" or "SF_INSTANCE_URL". */
  setting: string;
  configured: string;
  /** How to change it, in a few words. */
  fix: string;
}

/**
 * Whether the configured instanceUrl differs from the instance_url Salesforce returned. Only a value someone
 * set can be stale: the default (the token URL's host) is not written anywhere and needs no fix. Read by
 * `test` and by the doctor's token check.
 */
export function staleInstanceUrl(config: ResolvedConfig, actual: string): StaleInstanceUrl | undefined {
  const configured = config.values.instanceUrl.replace(/\/+$/, '');
  const source = config.sources.instanceUrl;
  if (configured === actual.replace(/\/+$/, '') || source === 'default') return undefined;
  if (source === 'file' && config.configPath) {
    return { setting: `instanceUrl in ${path.basename(config.configPath)}`, configured, fix: '`sf-setup doctor --fix` updates it' };
  }
  return { setting: 'SF_INSTANCE_URL', configured, fix: 'set SF_INSTANCE_URL to it' };
}
