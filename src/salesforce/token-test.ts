import { EXIT, UserError } from '../errors.js';
import { entryFor } from '../diagnostics/knowledge-base.js';
import type { OrgConfig } from '../config/types.js';
import { checkKeyStrength, loadPrivateKey, type LoadedPrivateKey } from '../keys/index.js';
import { getApiVersions, getUserInfo, versionNumber, type ApiVersion, type UserInfo } from './api.js';
import type { HttpSettings } from './http.js';
import { requestToken, SalesforceError, type TokenResult } from './token.js';

export interface TokenTestSuccess {
  token: TokenResult;
  user: UserInfo;
  instanceUrl: string;
  apiVersion: string;
  /** Newest version the org lists, when /services/data/ could be read. */
  latestApiVersion?: string;
  versions: ApiVersion[];
}

/** Load the private key the config names (file or inline SF_PRIVATE_KEY), with SF_PRIVATE_KEY_PASSPHRASE. */
export function loadConfiguredKey(values: Pick<OrgConfig, 'privateKey' | 'privateKeyPath'>, env: NodeJS.ProcessEnv): LoadedPrivateKey {
  const passphrase = env.SF_PRIVATE_KEY_PASSPHRASE || undefined;
  if (values.privateKey) return loadPrivateKey({ text: values.privateKey, passphrase, sourceLabel: 'SF_PRIVATE_KEY' });
  if (values.privateKeyPath) return loadPrivateKey({ path: values.privateKeyPath, passphrase });
  throw new UserError('key_missing', 'no private key is configured (privateKeyPath or SF_PRIVATE_KEY)', {
    fix: entryFor('key_missing').fix[0],
  });
}

/**
 * The live test: sign, request a token, then prove the token works (userinfo) and that the configured API
 * version exists in the org (/services/data/). Throws UserError (bad local input, exit 2), SalesforceError or
 * NetworkError (exit 1).
 */
export async function runTokenTest(config: OrgConfig, http: HttpSettings, options: { now?: number; key?: LoadedPrivateKey } = {}): Promise<TokenTestSuccess> {
  const key = options.key ?? loadConfiguredKey(config, http.env);
  // Salesforce accepts no certificate under 2048 bits, so a weaker key cannot match the app's: say so here
  // instead of sending a doomed assertion whose "invalid assertion" would point at the wrong cause.
  const weak = checkKeyStrength(key);
  if (weak) throw weak;
  const token = await requestToken(
    {
      tokenUrl: config.tokenUrl,
      clientId: config.clientId,
      username: config.username,
      audience: config.audience,
      privateKey: key.keyObject,
      now: options.now,
    },
    http,
  );
  const [user, versions] = await Promise.all([
    getUserInfo(token.instanceUrl, token.accessToken, http),
    getApiVersions(token.instanceUrl, http).catch((error: unknown) => {
      // The version list is a courtesy check; an org that hides it must not fail the token test.
      if (error instanceof SalesforceError) return [] as ApiVersion[];
      throw error;
    }),
  ]);
  const latest = versions.at(-1);
  const latestApiVersion = latest ? `v${latest.version}` : undefined;
  if (latest && !versions.some((v) => `v${v.version}` === config.apiVersion)) {
    const newer = versionNumber(config.apiVersion) > Number(latest.version);
    throw new UserError(
      'api_version_unsupported',
      newer
        ? `apiVersion ${config.apiVersion} is newer than this org supports; its newest is ${latestApiVersion}`
        : `apiVersion ${config.apiVersion} is not one this org lists; its newest is ${latestApiVersion}`,
      { exitCode: EXIT.failed, fix: `set "apiVersion": "${latestApiVersion}" in the config (or SF_API_VERSION)`, detail: { latestApiVersion } },
    );
  }
  return {
    token,
    user: { ...user, orgId: user.orgId ?? token.orgId, userId: user.userId ?? token.userId },
    instanceUrl: token.instanceUrl,
    apiVersion: config.apiVersion,
    latestApiVersion,
    versions,
  };
}
