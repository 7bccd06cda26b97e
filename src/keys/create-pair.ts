import path from 'node:path';
import { isUserError, UserError } from '../errors.js';
import { checkPairWritable } from './existing.js';
import { createSelfSignedCertificate, generateKeyAndCertificate } from './generate.js';
import { DEFAULT_SUBJECT, type CertificateSubject } from './subject.js';
import type { WrittenKeyPair } from './write.js';

const DAY_MS = 86_400_000;

/**
 * A new self-signed certificate for a private key already on disk whose certificate was lost. Same key, same
 * public key: an app that holds the old certificate keeps verifying its logins, so nothing is uploaded again.
 * Written atomically (0644); an existing certificate file is never replaced here.
 */
export async function createCertificateFor(keyPath: string, certificatePath: string, options: { days: number; subject?: CertificateSubject; passphrase?: string }): Promise<void> {
  const [{ loadPrivateKey }, { pathExists, writeFileAtomic }] = await Promise.all([import('./load-key.js'), import('../fs-util.js')]);
  const key = loadPrivateKey({ path: keyPath, passphrase: options.passphrase });
  if (await pathExists(certificatePath)) {
    throw new UserError('key_exists', `${certificatePath} already exists; it was left as it is`, { fix: 'use it, or make a new pair with `sf-setup keygen --force`' });
  }
  const now = Date.now();
  const pem = await createSelfSignedCertificate(key.keyObject, { subject: options.subject ?? DEFAULT_SUBJECT, notBefore: new Date(now - 60_000), notAfter: new Date(now + options.days * DAY_MS) });
  await writeFileAtomic(certificatePath, pem, { mode: 0o644 });
}

/** What to make and where: the request of `sf-setup keygen`, the wizard's step 1 and the demo. */
export interface KeyPairRequest {
  /** Folder for the files, relative to cwd (created 0700 when missing). */
  dir: string;
  bits: 2048 | 3072 | 4096;
  days: number;
  /** Fields left out are left out of the certificate; default DEFAULT_SUBJECT. */
  subject?: CertificateSubject;
  /** Replace existing files (the old ones are kept as backups). */
  force?: boolean;
  /** File names in `dir`; default server.key and server.crt. */
  keyFile?: string;
  certificateFile?: string;
}

/** The files written, and the .gitignore lines added. */
export type CreatedKeyPair = WrittenKeyPair & { gitignoreAdded: string[] };

/**
 * Generate, write (0600 key, 0644 certificate, 0700 folder) and git-ignore the key: `sf-setup keygen`, the
 * wizard's step 1 and the demo. Existing files are refused before the key search, not after it (seconds for
 * 4096 bits). The search runs on the thread pool while the code that writes the files loads (this module
 * imports only what the search needs, so the search starts sooner). When `cancel.cancelled` is set by the time
 * the pair exists (Ctrl+C in the wizard), nothing is written and the result is undefined.
 */
export async function createKeyPair(cwd: string, request: KeyPairRequest): Promise<CreatedKeyPair>;
export async function createKeyPair(cwd: string, request: KeyPairRequest, cancel?: { cancelled: boolean }): Promise<CreatedKeyPair | undefined>;
export async function createKeyPair(cwd: string, request: KeyPairRequest, cancel?: { cancelled: boolean }): Promise<CreatedKeyPair | undefined> {
  const dir = path.resolve(cwd, request.dir);
  const files = { dir, force: request.force, keyFile: request.keyFile, certificateFile: request.certificateFile };
  await checkPairWritable(files);
  const [pair, { writeKeyAndCertificate }, { gitignoreKey }] = await Promise.all([
    generateKeyAndCertificate({ bits: request.bits, days: request.days, subject: request.subject ?? DEFAULT_SUBJECT }),
    import('./write.js'),
    import('../config/index.js'),
  ]);
  if (cancel?.cancelled) return undefined;
  const written = await writeKeyAndCertificate(pair, files);
  try {
    return { ...written, gitignoreAdded: await gitignoreKey(cwd, written.keyPath) };
  } catch (error) {
    // The pair is on disk: say so, or the user would make another.
    if (!isUserError(error)) throw error;
    const pairNames = [written.keyPath, written.certificatePath].map((file) => path.relative(cwd, file) || file).join(' and ');
    throw new UserError(error.code, `${error.message}: ${pairNames} were written, but the key is not git-ignored yet`, { fix: error.fix, cause: error });
  }
}
