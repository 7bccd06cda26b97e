import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { shownPath } from '../output/paths.js';
import { ensureGitignore, gitignoreKey, keyIgnoreEntries, loadConfig, type Problem } from '../config/index.js';
import { entryFor, entryForWords } from '../diagnostics/knowledge-base.js';
import { isUserError } from '../errors.js';
import { expiryFinding } from '../keys/expiry.js';
import { createRotationPair, keyMatchesCertificate, loadCertificate } from '../keys/index.js';
import { audienceMismatch, environmentMismatch, isLoginHost } from '../salesforce/environment.js';
import { loadConfiguredKey } from '../salesforce/token-test.js';
import type { Check, CheckResult, DoctorState, Repair } from './types.js';

const run = promisify(execFile);

/** A failing or warning result carrying the knowledge-base entry's causes and fix. */
export function finding(status: 'fail' | 'warn', code: string, detail: string, extra: Partial<CheckResult> = {}): CheckResult {
  // The detail's words pick the entry's variant (a proxy that cannot be reached, a 407, a redirect).
  const entry = entryForWords(entryFor(code), detail);
  return { status, code, detail, causes: entry.causes, hedged: entry.confidence !== 'high', fix: entry.fix, ...extra };
}

/** The knowledge base's fix steps with its `<key file>` placeholder replaced by the file this run found. */
function fixNaming(code: string, file: string): string[] {
  return entryFor(code).fix.map((step) => step.split('<key file>').join(file));
}

/** A UserError as a failing result: its entry (or the fallback's), its own fix first. Anything else is rethrown. */
export function fromUserError(error: unknown, fallbackCode: string): CheckResult {
  if (!isUserError(error)) throw error;
  const code = safeCode(error.code, fallbackCode);
  const result = finding('fail', code, error.message);
  if (error.fix) result.fix = [error.fix, ...(result.fix ?? []).filter((step) => !saysTheSame(step, error.fix!))];
  return result;
}

/**
 * Does a knowledge-base step say what the error's own fix already says? Most of its words (4 letters or
 * more) are in the fix. The error's fix names this run's files, so it stays and the general step goes.
 */
function saysTheSame(step: string, fix: string): boolean {
  const words = (text: string) => text.toLowerCase().match(/[a-z0-9_.-]{4,}/g) ?? [];
  const said = new Set(words(fix));
  const own = words(step);
  return own.length > 0 && own.filter((word) => said.has(word)).length / own.length >= 0.6;
}

function safeCode(code: string, fallback: string): string {
  try {
    entryFor(code);
    return code;
  } catch {
    return fallback;
  }
}

const MIN_NODE = [20, 12];

export const runtimeCheck: Check = {
  id: 'runtime',
  title: 'Node.js version',
  async run() {
    const [major, minor] = process.versions.node.split('.').map(Number);
    const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
    return ok
      ? { status: 'pass', detail: `Node.js ${process.versions.node} on ${process.platform}-${process.arch}` }
      : finding('fail', 'runtime_unsupported', `Node.js ${process.versions.node} is older than 20.12`);
  },
};

/**
 * Several errors in the config, all named: elsewhere the message names the first and sends the user to the
 * doctor for the rest, and this is the doctor. Each problem's fix names its field.
 */
function configProblems(error: unknown): CheckResult | undefined {
  if (!isUserError(error)) return undefined;
  const { problems, where } = (error.detail ?? {}) as { problems?: Problem[]; where?: string };
  const errors = problems?.filter((p) => p.severity === 'error') ?? [];
  if (errors.length < 2 || !where) return undefined;
  const result = finding('fail', safeCode(errors[0].code, 'config_invalid'), `${where}: ${errors.map((p) => p.message).join('; ')}`);
  const own = errors.filter((p) => p.fix).map((p) => (p.field ? `${p.field}: ${p.fix}` : p.fix!));
  result.fix = [...own, ...(result.fix ?? []).filter((step) => !/sf-setup doctor --offline/.test(step))];
  return result;
}

export const configCheck: Check = {
  id: 'config',
  title: 'Configuration',
  async run(state) {
    try {
      state.config = await loadConfig({
        cwd: state.cwd,
        configPath: state.options.configPath,
        org: state.options.org,
        env: state.env,
        allowUntrustedHost: state.options.allowUntrustedHost,
      });
    } catch (error) {
      if (isUserError(error) && (error.code === 'config_missing' || /JSON|syntax|parse|cannot be read|not readable|is a folder|not a regular file/i.test(error.message))) {
        state.configUnreadable = true;
      }
      return configProblems(error) ?? fromUserError(error, 'config_invalid');
    }
    const config = state.config!;
    const fromEnv = Object.entries(config.sources).filter(([, source]) => source === 'env').map(([field]) => field);
    const where = config.configPath ? path.relative(state.cwd, config.configPath) || config.configPath : 'environment variables';
    const org = config.org ? ` (org "${config.org}")` : '';
    const envNote = config.configPath && fromEnv.length ? `; from the environment: ${fromEnv.join(', ')}` : '';
    const facts = Object.entries(config.sources).map(([field, source]) => [field, source ?? '?'] as [string, string]);
    if (config.warnings.length) {
      return { status: 'warn', code: 'config_invalid', detail: `${where}${org}: ${config.warnings.join('; ')}`, fix: entryFor('config_invalid').fix, facts };
    }
    return { status: 'pass', detail: `${where}${org}${envNote}`, facts };
  },
};

export const environmentCheck: Check = {
  id: 'environment',
  title: 'Sandbox / production consistency',
  dependsOn: ['config'],
  async run(state) {
    const values = state.config!.values;
    const environment = environmentMismatch(values.tokenUrl, values.username);
    const audience = audienceMismatch(values.tokenUrl, values.audience);
    state.environmentMismatch = environment ?? audience;
    // An aud that does not fit is certain to be refused ("audience is invalid"), and is fixed in the audience.
    if (audience) {
      const { causes, fix } = entryFor('audience_invalid');
      return finding('fail', 'environment_mismatch', environment ? `${audience}; and ${environment}` : audience, { causes, fix });
    }
    // The username's suffix is a hint, not a rule: a user created in a sandbox may have none.
    if (environment) return finding('warn', 'environment_mismatch', environment);
    if (isLoginHost(values.instanceUrl) && state.config!.sources.instanceUrl !== 'default') {
      return finding('warn', 'instance_url_login_host', `instanceUrl is ${values.instanceUrl}, a login host; the token answer names the org's real instance`);
    }
    return { status: 'pass', detail: `token URL ${values.tokenUrl}, audience ${values.audience}` };
  },
};

export const keyCheck: Check = {
  id: 'key',
  title: 'Private key',
  dependsOn: ['config'],
  async run(state) {
    const values = state.config!.values;
    const keyPath = values.privateKey ? undefined : values.privateKeyPath;
    state.keyPath = keyPath;
    let permissionProblem: CheckResult | undefined;
    if (keyPath) {
      try {
        const stat = await fs.stat(keyPath);
        if (!stat.isFile()) return finding('fail', 'key_invalid', `${keyPath} is ${stat.isDirectory() ? 'a folder' : 'not a regular file (a FIFO, a socket or a device)'}, not a key file`);
        // Windows has no POSIX modes to check.
        if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
          const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
          permissionProblem = finding('fail', 'key_permissions', `${relative(state.cwd, keyPath)} has mode ${mode}: other users on this machine can read it`, {
            fix: fixNaming('key_permissions', relative(state.cwd, keyPath)),
            repair: {
              description: `chmod 600 ${relative(state.cwd, keyPath)}`,
              apply: async () => {
                await fs.chmod(keyPath, 0o600);
                return `${relative(state.cwd, keyPath)} is now mode 0600`;
              },
            },
          });
        }
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          const certificate = values.certificatePath && (await fs.stat(values.certificatePath).catch(() => undefined)) ? values.certificatePath : undefined;
          const left = certificate ? `, but its certificate ${relative(state.cwd, certificate)} is still here` : '';
          return finding('fail', 'key_missing', `${relative(state.cwd, keyPath)} does not exist${left}`);
        }
        return finding('fail', 'key_invalid', `${relative(state.cwd, keyPath)} cannot be read (${code})`);
      }
    }
    try {
      state.key = loadConfiguredKey(values, state.env);
    } catch (error) {
      return fromUserError(error, 'key_invalid');
    }
    const key = state.key;
    const source = keyPath ? relative(state.cwd, keyPath) : 'SF_PRIVATE_KEY';
    if (key.bits < 2048) return finding('fail', 'key_weak', `${source} is RSA ${key.bits} bits; Salesforce needs 2048 or more`);
    if (permissionProblem) return permissionProblem;
    return {
      status: 'pass',
      detail: `${source}: RSA ${key.bits}${key.encrypted ? ', encrypted (passphrase from SF_PRIVATE_KEY_PASSPHRASE)' : ''}${keyPath ? ', mode 0600' : ''}`,
      facts: [['public key SHA-256', key.publicKeyFingerprint]],
    };
  },
};

export const certificateCheck: Check = {
  id: 'certificate',
  title: 'Certificate',
  // Not on 'key': an expired certificate is worth knowing even when the key check failed.
  dependsOn: ['config'],
  async run(state) {
    const values = state.config!.values;
    const certPath = values.certificatePath;
    if (!certPath) {
      return { status: 'skip', detail: 'no certificate configured (the key came from SF_PRIVATE_KEY); set SF_CERTIFICATE_PATH to check it' };
    }
    // The token request needs only the key: a certificate nobody named that is not beside the key (a CI job
    // given just the key) is not a problem, only a check that cannot be made.
    if (state.config!.sources.certificatePath === 'default' && !(await fs.stat(certPath).catch(() => undefined))) {
      return { status: 'skip', detail: `no certificate at ${relative(state.cwd, certPath)} (the token request does not need it); set certificatePath or SF_CERTIFICATE_PATH to check it` };
    }
    let cert;
    try {
      cert = loadCertificate({ path: certPath }, state.now);
    } catch (error) {
      return fromUserError(error, 'cert_invalid');
    }
    state.certificate = cert;
    const rel = relative(state.cwd, certPath);
    const expiry = cert.notAfter.toISOString().slice(0, 10);
    const facts: [string, string][] = [
      ['subject', cert.subject],
      ['SHA-256 fingerprint', cert.fingerprint256],
      ['valid', `${cert.notBefore.toISOString().slice(0, 10)} to ${expiry}`],
      ['signature', cert.signatureAlgorithm],
    ];
    state.keyMatchesCertificate = state.key ? keyMatchesCertificate(state.key, cert) : undefined;
    if (state.keyMatchesCertificate === false) {
      return finding('fail', 'key_cert_mismatch', `${rel} was not made from this private key: Salesforce will answer "invalid assertion"`, { facts });
    }
    const rotation = rotationRepair(state.cwd, values.privateKeyPath, certPath);
    const ending = expiryFinding(cert, rel, state.now);
    if (ending?.status === 'fail') return finding(ending.status, ending.code, ending.detail, { facts, repair: rotation });
    if (cert.notBefore.getTime() > state.now.getTime()) {
      return finding('fail', 'cert_not_yet_valid', `${rel} is not valid until ${cert.notBefore.toISOString()}`, { facts });
    }
    if (ending) return finding(ending.status, ending.code, ending.detail, { facts, repair: rotation });
    if (!cert.sha256Signed) {
      return finding('warn', 'cert_invalid', `${rel} is signed with ${cert.signatureAlgorithm}; Salesforce expects SHA-256`, { facts });
    }
    if (cert.sizeBytes > 4096) {
      return finding('warn', 'cert_invalid', `${rel} is ${cert.sizeBytes} bytes; Salesforce accepts uploads of at most 4 KB`, { facts });
    }
    // Without a loaded key there was nothing to compare: say so rather than claim a match.
    const pairing = state.keyMatchesCertificate ? 'matches the key, ' : '';
    const unpaired = state.keyMatchesCertificate ? '' : '; not compared with the private key, which did not load';
    return { status: 'pass', detail: `${rel}: ${pairing}valid until ${expiry} (${cert.daysLeft} days left${unpaired})`, facts };
  },
};

/** Start a rotation (new pair beside the old, nothing switched): the safe first step of `sf-setup rotate`. */
function rotationRepair(cwd: string, keyPath: string | undefined, certPath: string): Repair | undefined {
  if (!keyPath) return undefined;
  return {
    description: `make a new key and certificate beside ${relative(cwd, keyPath)} (the config is switched only after a test)`,
    apply: async () => {
      const written = await createRotationPair(keyPath, certPath);
      const ignored = await gitignoreKey(cwd, written.keyPath);
      return [
        `new pair: ${relative(cwd, written.keyPath)} and ${relative(cwd, written.certificatePath)} (valid until ${written.notAfter.toISOString().slice(0, 10)})`,
        ...(ignored.length ? [`  added ${ignored.join(', ')} to .gitignore`] : []),
        `  next: upload ${written.certificatePath} to the app (Edit > Use digital signatures), then run \`sf-setup rotate --switch ${relative(cwd, written.keyPath)}\``,
      ].join('\n');
    },
  };
}

export const secretsCheck: Check = {
  id: 'secrets',
  title: 'Secrets hygiene (git)',
  dependsOn: ['config'],
  async run(state) {
    const keyPath = state.config!.values.privateKey ? undefined : state.config!.values.privateKeyPath;
    if (!keyPath) return { status: 'pass', detail: 'the key comes from SF_PRIVATE_KEY; no key file to protect' };
    const dir = path.dirname(keyPath);
    let top: string;
    try {
      top = (await run('git', ['rev-parse', '--show-toplevel'], { cwd: await existingDir(dir), timeout: GIT_MS })).stdout.trim();
    } catch {
      return { status: 'skip', detail: 'not in a git repository (or git is not installed)' };
    }
    const relToTop = path.relative(top, keyPath);
    if (relToTop.startsWith('..')) return { status: 'pass', detail: 'the key is outside the repository' };
    try {
      return await keyInGit(state, keyPath, top, relToTop);
    } catch (error) {
      if (!(error instanceof GitSilent)) throw error;
      return { status: 'skip', detail: `git did not answer within ${GIT_MS / 1000} s (a slow fsmonitor hook or a very large repository): whether the key is tracked or ignored was not checked` };
    }
  },
};

/** git's answer to a yes/no question: exit 0 yes, exit 1 no; killed at the time limit, GitSilent (cannot tell). */
async function gitSays(args: string[], cwd: string): Promise<boolean> {
  try {
    await run('git', args, { cwd, timeout: GIT_MS });
    return true;
  } catch (error) {
    if ((error as { killed?: boolean }).killed) throw new GitSilent();
    return false;
  }
}

/** git did not answer in time: a check must say it could not tell, never read the silence as "no". */
class GitSilent extends Error {}

const GIT_MS = 5000;

/** The secrets check once git is known to be there: is the key (or a key beside it) tracked, or not ignored? */
async function keyInGit(state: DoctorState, keyPath: string, top: string, relToTop: string): Promise<CheckResult> {
  const tracked = await gitSays(['ls-files', '--error-unmatch', '--', relToTop], top);
  const entry = relToTop.split(path.sep).join('/');
  const gitignore = path.join(path.relative(state.cwd, top) || '.', '.gitignore');
  // Adding the key to .gitignore is safe to do for the user (the fix steps say --fix does it); untracking
  // and rotating are theirs.
  const ignoreRepair: Repair = {
    description: `add ${entry} to ${gitignore}`,
    apply: async () => {
      const result = await ensureGitignore(top, keyIgnoreEntries(entry));
      return result.added.length ? `added ${result.added.join(', ')} to .gitignore` : '.gitignore already covered it';
    },
  };
  if (tracked) {
    const rel = relative(state.cwd, keyPath);
    // Already covered by .gitignore (git still tracks what it tracked before): --fix has nothing to add.
    const ignored = await gitSays(['check-ignore', '--no-index', '-q', '--', relToTop], top);
    const repair = ignored ? undefined : ignoreRepair;
    // Already ignored: the step promising that --fix adds it to .gitignore would do nothing.
    const keep = (steps: string[]) => (ignored ? steps.filter((step) => !/doctor --fix` adds them to \.gitignore/.test(step)) : steps);
    // Staged but in no commit on any branch: not in the history, so unstaging is enough (no rotation).
    const committed = await run('git', ['log', '--all', '-1', '--format=%H', '--', relToTop], { cwd: top, timeout: GIT_MS }).then(
      ({ stdout }) => stdout.trim() !== '',
      () => true, // cannot tell: assume the worst
    );
    if (!committed) {
      return finding('fail', 'key_in_git', `${rel} is staged for commit (not committed yet)`, {
        fix: keep([`Unstage it before the next commit: \`git rm --cached ${rel}\` (it is not in the history yet, so the key need not change).`, 'Keep keys out of git: `sf-setup doctor --fix` adds them to .gitignore.']),
        repair,
      });
    }
    return finding('fail', 'key_in_git', `${rel} is committed to git`, { fix: keep(fixNaming('key_in_git', rel)), repair });
  }
  // The files sf-setup writes beside the key (backups kept by --force, keys made by rotate) hold private keys too.
  const beside = await otherKeysBeside(top, keyPath);
  const trackedBeside = beside.length ? await gitPaths(top, ['ls-files', '--', ...beside]) : [];
  if (trackedBeside.length) {
    const files = trackedBeside.map((file) => relative(state.cwd, path.join(top, file)));
    return finding('fail', 'key_in_git', `${files.join(', ')} ${files.length === 1 ? 'is' : 'are'} tracked by git and ${files.length === 1 ? 'holds a private key' : 'hold private keys'} (beside ${relative(state.cwd, keyPath)})`, {
      fix: [
        `Stop tracking ${files.length === 1 ? 'it' : 'them'}: \`git rm --cached ${files.join(' ')}\` and commit (a commit keeps it in history).`,
        'If such a key\'s certificate is still uploaded to an app, upload a new certificate (`sf-setup rotate`): anyone with the repository can sign as that key.',
        'Keep keys out of git: `sf-setup doctor --fix` adds them to .gitignore.',
      ],
      repair: ignoreRepair,
    });
  }
  const leakedEnv = await trackedEnvWithKey(top);
  if (leakedEnv) {
    const file = relative(state.cwd, path.join(top, leakedEnv));
    return finding('fail', 'key_in_git', `${leakedEnv} is tracked by git and holds private key material`, { fix: fixNaming('key_in_git', file) });
  }
  const ignored = await gitSays(['check-ignore', '-q', '--', relToTop], top);
  if (!ignored) {
    return finding('warn', 'key_not_ignored', `${relative(state.cwd, keyPath)} is not in .gitignore`, {
      fix: [`Add the line ${entry} to ${gitignore} (\`sf-setup doctor --fix\` does it).`],
      repair: ignoreRepair,
    });
  }
  const ignoredBeside = beside.length ? await gitPaths(top, ['check-ignore', '--', ...beside]) : [];
  const exposed = beside.filter((file) => !ignoredBeside.includes(file)).map((file) => relative(state.cwd, path.join(top, file)));
  if (exposed.length) {
    return finding('warn', 'key_not_ignored', `${exposed.join(', ')} ${exposed.length === 1 ? 'holds a private key and is' : 'hold private keys and are'} not in .gitignore`, {
      fix: [`Add the lines ${keyIgnoreEntries(entry).join(', ')} to ${gitignore} (\`sf-setup doctor --fix\` does it), or delete ${exposed.length === 1 ? 'it' : 'them'} once the current key works.`],
      repair: ignoreRepair,
    });
  }
  const more = beside.length ? ` (and the ${beside.length === 1 ? 'other key' : `${beside.length} other keys`} beside it)` : '';
  return { status: 'pass', detail: `${relative(state.cwd, keyPath)}${more} ${beside.length ? 'are' : 'is'} git-ignored and not tracked` };
}

async function existingDir(dir: string): Promise<string> {
  let current = dir;
  for (;;) {
    try {
      if ((await fs.stat(current)).isDirectory()) return current;
    } catch {
      // climb
    }
    const parent = path.dirname(current);
    if (parent === current) return current;
    current = parent;
  }
}

/**
 * The paths a git command run in `top` prints, one a line, as they are (core.quotePath off: clés/server.key,
 * not "cl\303\251s/server.key"); none when it fails (check-ignore exits 1 when nothing is ignored).
 */
async function gitPaths(top: string, args: string[]): Promise<string[]> {
  try {
    return (await run('git', ['-c', 'core.quotePath=false', ...args], { cwd: top, timeout: GIT_MS })).stdout.split('\n').filter(Boolean);
  } catch (error) {
    // Killed at the time limit: cannot tell (never "none"); another failure (check-ignore's exit 1) is none.
    if ((error as { killed?: boolean }).killed) throw new GitSilent();
    return [];
  }
}

/** Names sf-setup gives keys and backups, and the usual key names: only these are opened. */
const KEY_LIKE_NAME = /\.(key|pem|p8|bak)$|\.key\./i;

/**
 * Other files in the key's folder that hold a PEM private key (`server.key.<time>.bak` from --force,
 * `server-20261202.key` from rotate), as paths from the repository top.
 */
async function otherKeysBeside(top: string, keyPath: string): Promise<string[]> {
  const dir = path.dirname(keyPath);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const found: string[] = [];
  for (const name of names.filter((n) => KEY_LIKE_NAME.test(n)).slice(0, 200)) {
    const file = path.join(dir, name);
    if (file === path.resolve(keyPath)) continue;
    const info = await fs.lstat(file).catch(() => undefined);
    if (!info?.isFile() || info.size > 64 * 1024) continue;
    const text = await fs.readFile(file, 'utf8').catch(() => '');
    if (/-----BEGIN (?:RSA |ENCRYPTED )?PRIVATE KEY-----/.test(text)) found.push(path.relative(top, file).split(path.sep).join('/'));
  }
  return found.sort();
}

/** A tracked .env file (top level) that contains a PEM private key. */
async function trackedEnvWithKey(top: string): Promise<string | undefined> {
  const files = await gitPaths(top, ['ls-files', '--', '.env', '.env.*', '*.env']);
  for (const file of files) {
    const text = await fs.readFile(path.join(top, file), 'utf8').catch(() => '');
    if (/PRIVATE KEY-----|PRIVATE KEY\\n/.test(text)) return file;
  }
  return undefined;
}

/** A path from the folder the doctor runs in (output/paths.ts). */
export const relative = shownPath;
