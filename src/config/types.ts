/** Where a resolved configuration field came from. */
export type FieldSource = 'file' | 'env' | 'flag' | 'default';

/** One org's settings, in the `.sfconnect.json` format of the seed guide (plus optional extras). */
export interface OrgConfig {
  instanceUrl: string;
  apiVersion: string;
  authType: 'jwt';
  tokenUrl: string;
  clientId: string;
  username: string;
  /** Path to the PEM private key, resolved against the config file's folder. Absent when the key is inline. */
  privateKeyPath?: string;
  /** Inline PEM key text (only ever from SF_PRIVATE_KEY, never written to a file). Normalised to PEM with LF. */
  privateKey?: string;
  algorithm: 'RS256';
  /** Default: the key's path with `.crt`. */
  certificatePath?: string;
  /** Default: derived from the token URL (login -> https://login.salesforce.com, test -> https://test.salesforce.com, else its origin). */
  audience: string;
  /** Addresses this tool runs from (CI egress etc.), named in the IP-restriction advice. */
  egressIps?: string[];
}

export type OrgField = keyof OrgConfig;

export interface ResolvedConfig {
  /** Name of the chosen org in a multi-org file; null for the single-org form or env-only. */
  org: string | null;
  /** Names of every org in the file (single-org form: []). */
  orgNames: string[];
  /** Absolute path of the config file read, or null when everything came from the environment. */
  configPath: string | null;
  values: OrgConfig;
  sources: Partial<Record<OrgField, FieldSource>>;
  /** Non-fatal notes for the user (e.g. "SF_CLIENT_ID had a trailing newline; trimmed"). */
  warnings: string[];
}
