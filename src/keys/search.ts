import { generateKeyPair } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_CERTIFICATE_FILE, DEFAULT_KEY_DIR, DEFAULT_KEY_FILE } from './defaults.js';

/**
 * The RSA key search, and `sf-setup keygen`'s head start on it.
 *
 * The search is Node's own (OpenSSL on libuv's thread pool): ~0.1-0.3 s for 2048 bits, where node-forge's
 * JavaScript path takes seconds. Before keygen reaches it, ~45 ms go to loading the program, parsing the
 * arguments and loading the command (measured on a 2-core machine), and none of that needs the key. So the
 * entry point (cli.ts) starts the search as its first step, on the other core, when the arguments say that
 * keygen will want it. That costs a wasted search when keygen then refuses (and the process cannot exit while
 * a search runs: a thread-pool job cannot be cancelled), so the head start is taken only for plain runs:
 * the default 2048 bits, keygen's own options, and files that keygen may write. Anything else gets no head
 * start and searches as before.
 *
 * cli.ts and the commands are separate bundles (CommonJS and ES modules), each with its own copy of this
 * module, so the started search is kept on globalThis under a registered symbol.
 */

/** The generated pair as PEM: SPKI public key, unencrypted PKCS#8 private key. */
export interface PemKeyPair {
  publicKey: string;
  privateKey: string;
}

/** The only size searched ahead: keygen's default, and the quickest to waste. */
const HEAD_START_BITS = 2048;

/**
 * keygen's options (with the program's global --no-color), each with whether it takes a value. A run with any
 * other argument gets no head start. A test checks this list against the command's definition in program.ts.
 */
export const KEYGEN_OPTIONS: Readonly<Record<string, boolean>> = {
  '--dir': true,
  '--bits': true,
  '--days': true,
  '--subject': true,
  '--force': false,
  '--json': false,
  '--no-color': false,
};

const SLOT = Symbol.for('sf-setup.keySearch');
interface StartedSearch {
  bits: number;
  pair: Promise<PemKeyPair>;
}
const slot = globalThis as { [SLOT]?: StartedSearch };

const generate = promisify(generateKeyPair);

/** Search for a new RSA key pair (public exponent 65537). */
export function searchKeyPair(bits: number): Promise<PemKeyPair> {
  return generate('rsa', {
    modulusLength: bits,
    publicExponent: 0x10001,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/**
 * Whether `sf-setup <argv>`, run in cwd, is a keygen that will search for a 2048-bit key: keygen's own
 * options only, no --help, --bits 2048 if given, and no existing key or certificate unless --force.
 * A wrong guess costs time, never correctness: the search is used only by a keygen that asks for its size.
 */
export function keygenWillSearch(argv: readonly string[], cwd: string): boolean {
  if (argv[0] !== 'keygen') return false;
  let dir = DEFAULT_KEY_DIR;
  let force = false;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    const takesValue = KEYGEN_OPTIONS[name];
    if (takesValue === undefined) return false;
    if (!takesValue) {
      if (equals > 0) return false;
      if (name === '--force') force = true;
      continue;
    }
    const value = equals > 0 ? arg.slice(equals + 1) : argv[++i];
    if (value === undefined || value === '') return false;
    if (name === '--dir') dir = value;
    if (name === '--bits' && value !== String(HEAD_START_BITS)) return false;
  }
  if (force) return true;
  const folder = path.resolve(cwd, dir);
  return !existsSync(path.join(folder, DEFAULT_KEY_FILE)) && !existsSync(path.join(folder, DEFAULT_CERTIFICATE_FILE));
}

/**
 * Start the search now when keygenWillSearch says keygen will want it; returns the search started, if any.
 * Its failure is reported by the keygen that takes it (takeStartedSearch), never as an unhandled rejection.
 */
export function startSearchEarly(argv: readonly string[], cwd: string): Promise<PemKeyPair> | undefined {
  if (slot[SLOT] || !keygenWillSearch(argv, cwd)) return undefined;
  const pair = searchKeyPair(HEAD_START_BITS);
  pair.catch(() => undefined);
  slot[SLOT] = { bits: HEAD_START_BITS, pair };
  return pair;
}

/** The search started early for this size, handed out once; undefined when there is none. */
export function takeStartedSearch(bits: number): Promise<PemKeyPair> | undefined {
  const started = slot[SLOT];
  if (!started || started.bits !== bits) return undefined;
  delete slot[SLOT];
  return started.pair;
}
