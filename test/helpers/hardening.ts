/**
 * Plumbing for the hardening tests (issue 6): run the built binary as an ordinary user even when the tests
 * run as root (root reads any file, so "unreadable" and "read-only" need a user the kernel says no to),
 * list what a run left in a folder, and key material in every shape people paste.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmod, chown, cp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { ROOT, runCli, tempDir, type CliResult, type RunCliOptions } from './cli.js';

/** uid/gid of `nobody`, used when the tests run as root. */
const NOBODY = 65534;

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Give a folder tree to the user runAsUser() runs as (a no-op when not root). */
export async function giveToUser(dir: string): Promise<void> {
  if (!isRoot) return;
  await chown(dir, NOBODY, NOBODY);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await giveToUser(full);
    else await chown(full, NOBODY, NOBODY);
  }
}

export interface RunOptions extends RunCliOptions {
  cwd: string;
  /** Run as `nobody` when the tests run as root, so file permissions apply. */
  asUser?: boolean;
}

let copyForUser: Promise<string> | undefined;
/**
 * The built binary where `nobody` can run it: a copy of what the package publishes (bin/, dist/bundle/,
 * package.json; the bundle needs no node_modules) in a folder everyone may enter. The checkout itself may sit
 * in a folder only root can enter: a clone made under `mktemp -d` (mode 0700) did, and `nobody` then failed
 * with "Cannot find module .../bin/sf-setup.cjs" instead of meeting the permission the test is about.
 */
function binaryForUser(): Promise<string> {
  copyForUser ??= (async () => {
    const dir = await tempDir('sf-setup-bin-');
    for (const part of ['bin', 'dist/bundle', 'package.json']) await cp(path.join(ROOT, part), path.join(dir, part), { recursive: true });
    await chmod(dir, 0o755);
    return path.join(dir, 'bin', 'sf-setup.cjs');
  })();
  return copyForUser;
}

/** runCli, as `nobody` when asked and the tests run as root. */
export async function runBinary(args: string[], { asUser, ...options }: RunOptions): Promise<CliResult & { ms: number }> {
  if (!(asUser && isRoot)) return runCli(args, options);
  return runCli(args, { ...options, user: { uid: NOBODY, gid: NOBODY }, bin: await binaryForUser() });
}

/** Every file under a folder (relative paths, sorted), hidden ones included. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (sub: string) => {
    for (const entry of await readdir(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) await walk(rel);
      else out.push(rel);
    }
  };
  await walk('');
  return out.sort();
}

/** Temporary or staging files sf-setup makes beside a target (`.name.<pid>.<hex>.tmp`, `.name.<hex>.new`, the key lock). */
export function leftovers(files: string[]): string[] {
  return files.filter((file) => /(^|\/)\.[^/]+\.(tmp|new)$/.test(file) || /\.lock$/.test(file));
}

/** Key material of every kind the corpus needs, made fresh (nothing committed); the RSA forms are of `goodKeyPem`. */
export function keyMaterial(goodKeyPem: string) {
  const rsa = createPrivateKey(goodKeyPem);
  const pem = (type: 'pkcs8' | 'pkcs1', extra: Record<string, string> = {}) => rsa.export({ type, format: 'pem', ...extra } as never) as unknown as string;
  return {
    rsa,
    pkcs8: pem('pkcs8'),
    pkcs1: pem('pkcs1'),
    encryptedPkcs8: pem('pkcs8', { cipher: 'aes-256-cbc', passphrase: 'open sesame' }),
    encryptedPkcs1: pem('pkcs1', { cipher: 'aes-256-cbc', passphrase: 'open sesame' }),
    der: rsa.export({ type: 'pkcs8', format: 'der' }),
    publicKey: createPublicKey(rsa).export({ type: 'spki', format: 'pem' }) as string,
    weak: generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    ec: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    ed25519: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}

export { ROOT };
