import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { generateKeyAndCertificate, type GeneratedKeyPair } from '../../src/keys/index.js';
import { emulatorConfig, startEmulator, type EmulatedOrg, type EmulatorOptions } from '../../src/emulator/index.js';
import { tempDir } from './cli.js';

let shared: Promise<GeneratedKeyPair> | undefined;

/** One real RSA key and certificate per test file (generation costs ~0.3 s). */
export function sharedKeyPair(): Promise<GeneratedKeyPair> {
  shared ??= generateKeyAndCertificate({ bits: 2048, days: 365 });
  return shared;
}

export interface OrgProject {
  dir: string;
  org: EmulatedOrg;
  keyPath: string;
  certificatePath: string;
  pair: GeneratedKeyPair;
  /** Environment variables that point `sf-setup` at this org with no config file. */
  env: Record<string, string>;
}

/**
 * A temporary project folder with a key pair written as sf-setup writes it (0600/0644), a .sfconnect.json
 * pointing at a fresh emulated org on 127.0.0.1 with that certificate uploaded, and the scenario applied.
 */
export async function orgProject(options: EmulatorOptions & { writeConfig?: boolean } = {}): Promise<OrgProject> {
  const pair = await sharedKeyPair();
  const dir = await tempDir();
  await mkdir(path.join(dir, 'certs'), { mode: 0o700 });
  const keyPath = path.join(dir, 'certs', 'server.key');
  const certificatePath = path.join(dir, 'certs', 'server.crt');
  await writeFile(keyPath, pair.privateKeyPem, { mode: 0o600 });
  await writeFile(certificatePath, pair.certificatePem, { mode: 0o644 });
  await writeFile(path.join(dir, '.gitignore'), 'certs/server.key\n.sfconnect.json\n');
  const org = await startEmulator({ ...options, certificates: options.certificates ?? [pair.certificatePem] });
  const config = emulatorConfig(org);

  if (options.writeConfig !== false) await writeFile(path.join(dir, '.sfconnect.json'), `${JSON.stringify(config, null, 2)}\n`);
  return {
    dir,
    org,
    keyPath,
    certificatePath,
    pair,
    env: {
      SF_INSTANCE_URL: org.url,
      SF_TOKEN_URL: org.tokenUrl,
      SF_CLIENT_ID: org.clientId,
      SF_USERNAME: org.username,
      SF_PRIVATE_KEY_PATH: keyPath,
    },
  };
}
