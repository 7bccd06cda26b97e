import path from 'node:path';
import { readConfigFile, validateOrgConfig, type OrgConfig, type Problem } from '../config/index.js';
import { certificatePathBeside, keyMatchesCertificate, loadCertificate, loadPrivateKey } from '../keys/index.js';
import { isUserError } from '../errors.js';

/** What the wizard found of step 1 on disk: the key, its certificate, and whether they are fit to reuse. */
export interface KeyFacts {
  /** Absolute paths the wizard uses (from the config's privateKeyPath, else `<keyDir>/server.key`). */
  keyPath: string;
  certificatePath: string;
  keyExists: boolean;
  certificateExists: boolean;
  bits?: number;
  /** SHA-256 of the certificate, `AB:CD:...`. */
  fingerprint?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** Days until the certificate ends (negative once expired). */
  daysLeft?: number;
  /** Whole validity period in days, for the "time left" bar. */
  validityDays?: number;
  expired?: boolean;
  /** The key belongs to the certificate; undefined when either could not be read. */
  matches?: boolean;
  /** One line per thing wrong, in the user's words. */
  problems: string[];
  /** Both files exist, load, belong together and the certificate has not expired. */
  usable: boolean;
}

/** What the wizard found of step 3: the config file and how complete it is. */
export interface ConfigFacts {
  /** Absolute path of the config file. */
  path: string;
  exists: boolean;
  /** The org's values (single-org form, or the default org of a multi-org file). */
  values: Partial<OrgConfig>;
  /** Errors that make the file unusable as it is (validation errors, or why it could not be read). */
  problems: string[];
  /** Valid as a whole, with a Consumer Key and a username. */
  complete: boolean;
  /** Why the file cannot be read at all (not JSON, a folder...), with the fix: step 3 offers to set it aside. */
  unreadable?: { message: string; fix?: string };
}

/** Which steps the files show as done. Progress is derived from the files only: there is no state file. */
export interface Progress {
  keys: KeyFacts;
  config: ConfigFacts;
  done: { keys: boolean; app: boolean; config: boolean };
}

export interface ProgressOptions {
  /** Config file, relative to cwd. Default `.sfconnect.json`. */
  configPath?: string;
  /** Folder of the key and certificate, relative to cwd. Default `certs`. */
  keyDir?: string;
  now?: Date;
  /** The passphrase of an encrypted key (SF_PRIVATE_KEY_PASSPHRASE, as `sf-setup test` reads it). */
  passphrase?: string;
}

const DAY_MS = 86_400_000;

/** Look at the folder and say which wizard steps are already done, and with what. Never throws for bad files. */
export async function detectProgress(cwd: string, options: ProgressOptions = {}): Promise<Progress> {
  const config = await detectConfig(path.resolve(cwd, options.configPath ?? '.sfconnect.json'));
  const configDir = path.dirname(config.path);
  const keyPath = config.values.privateKeyPath
    ? path.resolve(configDir, config.values.privateKeyPath)
    : path.resolve(cwd, options.keyDir ?? 'certs', 'server.key');
  const certificatePath = config.values.certificatePath
    ? path.resolve(configDir, config.values.certificatePath)
    : certificatePathBeside(keyPath);
  const keys = detectKeys(keyPath, certificatePath, options.now ?? new Date(), options.passphrase);
  return {
    keys,
    config,
    done: { keys: keys.usable, app: Boolean(config.values.clientId), config: config.complete },
  };
}

/**
 * The problems step 1 lists under what it found: not the ones its own lines already show (the match, the
 * expiry, a missing file, whose line says "missing"). One rule for both front ends.
 */
export function keyProblemsToList(facts: Pick<KeyFacts, 'problems'>): string[] {
  return facts.problems.filter((p) => !/belong together|expired on|^the (certificate|private key) is missing$/.test(p));
}

/** A key whose certificate is missing can get a new one (the same public key: the app keeps working). */
export function canCertify(facts: Pick<KeyFacts, 'keyExists' | 'certificateExists' | 'bits'>): boolean {
  return facts.keyExists && !facts.certificateExists && facts.bits !== undefined;
}
/** The new certificate's validity, as keygen's default. */
export const CERTIFY_DAYS = 365;
export const CERTIFY_HINT = 'same key, so an app that has its certificate keeps working; otherwise upload it in step 2';
/** Step 1's summary line after a certificate was made for the key found; `rel` shows a path. */
export function certifiedSummary(facts: KeyFacts, rel: (file: string) => string): string {
  return `${rel(facts.keyPath)} (RSA ${facts.bits}) and a new ${rel(facts.certificatePath)} for it, ${facts.daysLeft} days`;
}

/** Step 1's first line about what it found, one wording for both front ends. */
export function foundKeysHeading(facts: Pick<KeyFacts, 'keyExists' | 'certificateExists'>): string {
  if (facts.keyExists && !facts.certificateExists) return 'Found a private key, but no certificate beside it';
  if (!facts.keyExists && facts.certificateExists) return 'Found a certificate, but no private key beside it';
  return 'Found a key and certificate';
}

/** Facts about a key and certificate pair at the given paths. */
export function detectKeys(keyPath: string, certificatePath: string, now: Date = new Date(), passphrase?: string): KeyFacts {
  const facts: KeyFacts = { keyPath, certificatePath, keyExists: false, certificateExists: false, problems: [], usable: false };
  let key: ReturnType<typeof loadPrivateKey> | undefined;
  let certificate: ReturnType<typeof loadCertificate> | undefined;
  try {
    key = loadPrivateKey({ path: keyPath, passphrase });
    facts.keyExists = true;
    facts.bits = key.bits;
  } catch (error) {
    if (isUserError(error) && error.code !== 'key_missing') {
      facts.keyExists = true;
      // The wizard asks for no passphrase: the way to reuse the key is the variable `sf-setup test` reads too.
      facts.problems.push(error.code === 'key_encrypted' && !passphrase ? `${error.message}: to reuse it, set SF_PRIVATE_KEY_PASSPHRASE and start the wizard again` : error.message);
    } else if (!isUserError(error)) throw error;
  }
  try {
    certificate = loadCertificate({ path: certificatePath }, now);
    facts.certificateExists = true;
    facts.fingerprint = certificate.fingerprint256;
    facts.notBefore = certificate.notBefore;
    facts.notAfter = certificate.notAfter;
    facts.daysLeft = certificate.daysLeft;
    facts.expired = certificate.expired;
    facts.validityDays = Math.max(1, Math.round((certificate.notAfter.getTime() - certificate.notBefore.getTime()) / DAY_MS));
    facts.bits ??= certificate.bits ?? undefined;
    if (certificate.expired) facts.problems.push(`the certificate expired on ${certificate.notAfter.toISOString().slice(0, 10)}`);
  } catch (error) {
    if (isUserError(error) && error.code !== 'cert_missing') {
      facts.certificateExists = true;
      facts.problems.push(error.message);
    } else if (!isUserError(error)) throw error;
  }
  if (key && certificate) {
    facts.matches = keyMatchesCertificate(key, certificate);
    if (!facts.matches) facts.problems.push('the private key and the certificate do not belong together');
  } else if (facts.keyExists !== facts.certificateExists) {
    facts.problems.push(facts.keyExists ? 'the certificate is missing' : 'the private key is missing');
  }
  facts.usable = Boolean(key && certificate && facts.matches && !certificate.expired);
  return facts;
}

async function detectConfig(file: string): Promise<ConfigFacts> {
  const facts: ConfigFacts = { path: file, exists: false, values: {}, problems: [], complete: false };
  try {
    const raw = await readConfigFile(file);
    facts.exists = raw.exists;
    if (!raw.exists) return facts;
    const data = raw.data as Record<string, unknown> | undefined;
    let section: unknown = data;
    if (raw.multiOrg && data) {
      const name = raw.defaultOrg ?? (raw.orgNames.length === 1 ? raw.orgNames[0] : undefined);
      section = name ? (data.orgs as Record<string, unknown>)[name] : undefined;
    }
    if (section && typeof section === 'object' && !Array.isArray(section)) facts.values = section as Partial<OrgConfig>;
    const problems: Problem[] = validateOrgConfig(section ?? {}, { where: path.basename(file) });
    facts.problems = problems.filter((p) => p.severity === 'error').map((p) => p.message);
  } catch (error) {
    if (!isUserError(error)) throw error;
    facts.exists = true;
    facts.problems.push(error.message);
    facts.unreadable = { message: error.message, fix: error.fix };
  }
  facts.complete = facts.exists && facts.problems.length === 0 && Boolean(facts.values.clientId && facts.values.username);
  return facts;
}
