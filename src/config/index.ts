/**
 * Configuration: `.sfconnect.json` (single- or multi-org), SF_* environment variables field by field, and
 * defaults, each field with its source; validation with precise messages; atomic writing.
 */
export { CONFIG_FILE, DEFAULT_API_VERSION, DEFAULT_TOKEN_URL, ENV_FIELDS, ENV_VARS, loadConfig, readConfigFile, resolveConfigPath, type LoadConfigOptions, type RawConfigFile } from './load.js';
export { didYouMean, ORG_FIELDS, validateOrgConfig, windowsPath, type Problem, type ValidateContext } from './validate.js';
export { classifyTokenHost, deriveAudience, isLoopbackHost, isTrustedSalesforceHost, type TokenHostKind } from './hosts.js';
export { ensureGitignore, gitignoreKey, keyIgnoreEntries, setAsideConfig, setDefaultOrg, writeConfig, type ConfigUpdate, type WriteConfigResult } from './write.js';
export { staleInstanceUrl, type StaleInstanceUrl } from './instance-url.js';
export { maskClientId, maskUsername } from './mask.js';
export { lineColumn, parseJsonStrict } from './json.js';
export type { FieldSource, OrgConfig, OrgField, ResolvedConfig } from './types.js';
