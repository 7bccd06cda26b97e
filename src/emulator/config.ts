import type { EmulatedOrg } from './types.js';

/**
 * The `.sfconnect.json` settings that point a client at an emulated org: what `sf-setup emulator` prints,
 * what `demo` writes, and what tests use. The emulator's own URL is both instance and My Domain.
 */
export function emulatorConfig(org: Pick<EmulatedOrg, 'url' | 'tokenUrl' | 'clientId' | 'username'>, privateKeyPath = './certs/server.key') {
  return {
    instanceUrl: org.url,
    apiVersion: 'v59.0',
    authType: 'jwt' as const,
    tokenUrl: org.tokenUrl,
    clientId: org.clientId,
    username: org.username,
    privateKeyPath,
    algorithm: 'RS256' as const,
  };
}
