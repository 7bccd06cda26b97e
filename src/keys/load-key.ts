import { createPrivateKey, type KeyObject } from 'node:crypto';
import { UserError } from '../errors.js';
import {
  describeKeyType,
  hasEncryptedHeader,
  identifyDer,
  looksBinary,
  normalizePemText,
  PRIVATE_KEY_LABELS,
  publicKeyFingerprint,
  scanPem,
  type DerKind,
  type PemBlock,
} from './pem.js';
import { readInputFile } from './read.js';

/** A usable RSA private key and what is known about it. Never serialise keyObject into output. */
export interface LoadedPrivateKey {
  keyObject: KeyObject;
  /** RSA modulus size. Below 2048 is loaded but flagged by {@link checkKeyStrength}. */
  bits: number;
  /** `pkcs1` = `-----BEGIN RSA PRIVATE KEY-----` (openssl genrsa before 3.0); `pkcs8` = `-----BEGIN PRIVATE KEY-----` or `ENCRYPTED PRIVATE KEY`. */
  format: 'pkcs1' | 'pkcs8';
  /** The PEM was passphrase-protected (and was decrypted with the given passphrase). */
  encrypted: boolean;
  /** Where it came from: the path, or the label given (default `SF_PRIVATE_KEY` for inline text). */
  source: string;
  /** SHA-256 of the public key's SubjectPublicKeyInfo DER, `AB:CD:...`; equals the certificate's when they match. */
  publicKeyFingerprint: string;
  /** The text needed repair first (escaped newlines, quotes, CRLF, base64, one-line paste): see normalizePemText. */
  normalized: boolean;
  /** Permission bits of the key file (e.g. 0o600); undefined for inline text. */
  fileMode?: number;
}

export interface LoadPrivateKeyInput {
  /** A key file. */
  path?: string;
  /** Key text (from SF_PRIVATE_KEY); used when path is not given. */
  text?: string;
  /** For an encrypted key (SF_PRIVATE_KEY_PASSPHRASE). An empty string counts as none. */
  passphrase?: string;
  /** Name for the source in messages; default the path, or `SF_PRIVATE_KEY` for text. */
  sourceLabel?: string;
}

/** Salesforce's minimum RSA key size for the JWT flow's certificate. */
export const MIN_RSA_BITS = 2048;

const NEED = 'the JWT is signed with an RSA private key in PEM form (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)';
const ENV_FIX = 'set SF_PRIVATE_KEY to the whole key file, quoted: SF_PRIVATE_KEY="$(cat certs/server.key)"';
const KEYGEN_FIX = 'or make a new pair: `sf-setup keygen --force`, then upload the new certificate to the app';
const RSA_FIX = 'generate an RSA key and certificate: `sf-setup keygen` (or `openssl genrsa -out server.key 2048`), then upload the certificate to the app';

/**
 * Load an RSA private key from a file or from text (SF_PRIVATE_KEY), after repairing transport damage with
 * {@link normalizePemText}. Every failure is a UserError (exit 2) saying what was found and what is needed:
 * `key_missing`, `key_invalid`, `key_encrypted`. Messages never contain key material.
 *
 * A weak (< 2048-bit) RSA key is returned, not refused: call {@link checkKeyStrength} so a doctor can report
 * it as a finding.
 */
export function loadPrivateKey(input: LoadPrivateKeyInput): LoadedPrivateKey {
  const fromFile = input.path !== undefined;
  const name = input.sourceLabel ?? input.path ?? 'SF_PRIVATE_KEY';
  const fixFor = (fileFix: string) => (fromFile ? fileFix : ENV_FIX);
  const passphrase = input.passphrase ? input.passphrase : undefined;

  let text: string;
  let fileMode: number | undefined;
  if (fromFile) {
    const { data, mode } = readInputFile(input.path!, {
      missing: 'key_missing',
      invalid: 'key_invalid',
      what: 'private key',
      missingFix: 'generate one: `sf-setup keygen` (then upload the certificate), or fix privateKeyPath (relative paths are relative to the config file); in CI set SF_PRIVATE_KEY instead',
    });
    fileMode = mode;
    if (data.length > 0 && looksBinary(data)) throw binaryKeyError(name, input.path!, identifyDer(data));
    text = data.toString('utf8');
  } else if (typeof input.text === 'string') {
    text = input.text;
  } else {
    throw new UserError('key_missing', 'no private key was given (privateKeyPath or SF_PRIVATE_KEY)', {
      fix: 'set privateKeyPath in the config to the key file, or SF_PRIVATE_KEY to its text',
    });
  }

  if (text.trim() === '') {
    throw new UserError('key_invalid', `${name} is empty; ${NEED}`, { fix: fixFor(`point privateKeyPath at the key file, ${KEYGEN_FIX}`) });
  }

  const clean = normalizePemText(text);
  const scan = scanPem(clean);
  if (scan.unterminated.length > 0) {
    const label = scan.unterminated[0];
    throw new UserError('key_invalid', `${name} is cut off: -----BEGIN ${label}----- has no -----END ${label}----- line`, {
      fix: fromFile
        ? `the file is damaged: restore it from where it was made, ${KEYGEN_FIX}`
        : 'a CI secret or shell variable lost the end of the key: set SF_PRIVATE_KEY to the whole key file, END line included, quoted: SF_PRIVATE_KEY="$(cat certs/server.key)"',
    });
  }
  const keyBlocks = scan.blocks.filter((block) => PRIVATE_KEY_LABELS.has(block.label));
  if (keyBlocks.length > 1) {
    throw new UserError('key_invalid', `${name} holds ${keyBlocks.length} private keys; it must hold exactly one, the key whose certificate is uploaded to the app`, {
      fix: 'keep only that key in the file (`sf-setup doctor` compares the key with the certificate)',
    });
  }
  if (keyBlocks.length === 0) throw noPrivateKeyError(name, clean, scan.blocks, fromFile);

  const block = keyBlocks[0];
  const keyObject = decodeKeyBlock(name, block, passphrase, fromFile);
  const keyType = keyObject.asymmetricKeyType ?? 'unknown';
  if (keyType !== 'rsa') {
    throw new UserError('key_invalid', `${name}: found ${describeKeyType(keyType, keyObject.asymmetricKeyDetails?.namedCurve)}; Salesforce's JWT flow (RS256) needs an RSA key`, {
      fix: RSA_FIX,
    });
  }
  const encrypted = block.label === 'ENCRYPTED PRIVATE KEY' || hasEncryptedHeader(block);
  return {
    keyObject,
    bits: keyObject.asymmetricKeyDetails?.modulusLength ?? 0,
    format: block.label === 'RSA PRIVATE KEY' ? 'pkcs1' : 'pkcs8',
    encrypted,
    source: name,
    publicKeyFingerprint: publicKeyFingerprint(keyObject),
    normalized: clean !== text,
    fileMode,
  };
}

/**
 * The key-size finding: a `key_weak` UserError when the RSA key is shorter than 2048 bits (Salesforce
 * refuses such certificates), else null. Returned rather than thrown so a doctor can list it among others.
 */
export function checkKeyStrength(key: LoadedPrivateKey): UserError | null {
  if (key.bits >= MIN_RSA_BITS) return null;
  return new UserError('key_weak', `${key.source}: found a ${key.bits}-bit RSA key; Salesforce needs ${MIN_RSA_BITS} bits or more`, {
    fix: 'generate a 2048-bit (or larger) key: `sf-setup keygen --force`, then upload the new certificate to the app',
    detail: { bits: key.bits },
  });
}

/** Turn one private-key PEM block into a KeyObject, or explain why not. */
function decodeKeyBlock(name: string, block: PemBlock, passphrase: string | undefined, fromFile: boolean): KeyObject {
  if (block.label === 'OPENSSH PRIVATE KEY') {
    throw new UserError('key_invalid', `${name}: found an OpenSSH-format private key (-----BEGIN OPENSSH PRIVATE KEY-----); ${NEED}`, {
      fix: 'if it is an RSA key, convert a copy (ssh-keygen rewrites the file in place): cp id_rsa server.key && ssh-keygen -p -m PKCS8 -f server.key; otherwise ' + RSA_FIX,
    });
  }
  if (block.label === 'DSA PRIVATE KEY') {
    throw new UserError('key_invalid', `${name}: found a DSA key; Salesforce's JWT flow (RS256) needs an RSA key`, { fix: RSA_FIX });
  }
  const encrypted = block.label === 'ENCRYPTED PRIVATE KEY' || hasEncryptedHeader(block);
  if (encrypted && !passphrase) {
    throw new UserError('key_encrypted', `${name} is encrypted (${block.label === 'ENCRYPTED PRIVATE KEY' ? '-----BEGIN ENCRYPTED PRIVATE KEY-----' : 'Proc-Type: 4,ENCRYPTED'}) and no passphrase was given`, {
      fix: 'set SF_PRIVATE_KEY_PASSPHRASE to its passphrase, or keep an unencrypted copy at chmod 600: openssl pkey -in encrypted.key -out certs/server.key',
    });
  }
  try {
    return createPrivateKey(encrypted ? { key: block.text, format: 'pem', passphrase } : { key: block.text, format: 'pem' });
  } catch (error) {
    const reason = (error as { code?: string }).code;
    if (encrypted) {
      throw new UserError('key_encrypted', `the passphrase for ${name} is wrong: the key did not decrypt`, {
        fix: 'check SF_PRIVATE_KEY_PASSPHRASE (exact text, no trailing newline or quotes)',
        detail: { reason },
      });
    }
    throw new UserError('key_invalid', `${name} has a -----BEGIN ${block.label}----- block that does not decode: the key is damaged`, {
      fix: fromFile ? `restore the file from where it was made, ${KEYGEN_FIX}` : ENV_FIX,
      detail: { reason },
    });
  }
}

/** What to say when the text holds PEM blocks (or none) but no private key. */
function noPrivateKeyError(name: string, text: string, blocks: PemBlock[], fromFile: boolean): UserError {
  const labels = new Set(blocks.map((block) => block.label));
  const pairFix = 'point privateKeyPath (or SF_PRIVATE_KEY) at the private key made together with the certificate (server.key, not server.crt)';
  if (labels.has('CERTIFICATE') || labels.has('TRUSTED CERTIFICATE') || labels.has('X509 CERTIFICATE')) {
    return new UserError('key_invalid', `${name}: found a certificate (-----BEGIN CERTIFICATE-----), not a private key; ${NEED}`, { fix: pairFix });
  }
  if (labels.has('PUBLIC KEY') || labels.has('RSA PUBLIC KEY')) {
    return new UserError('key_invalid', `${name}: found a public key, not a private key; ${NEED}`, { fix: pairFix });
  }
  if (labels.has('CERTIFICATE REQUEST') || labels.has('NEW CERTIFICATE REQUEST')) {
    return new UserError('key_invalid', `${name}: found a certificate signing request (CSR), not a private key; ${NEED}`, { fix: pairFix });
  }
  if (blocks.length > 0) {
    return new UserError('key_invalid', `${name}: found a -----BEGIN ${blocks[0].label}----- block, not a private key; ${NEED}`, { fix: pairFix });
  }

  // No PEM at all: recognise the usual wrong things.
  const trimmed = text.trim();
  if (/^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-\S+|sk-\S+@openssh\.com) /.test(trimmed) || trimmed.startsWith('---- BEGIN SSH2 PUBLIC KEY')) {
    return new UserError('key_invalid', `${name}: found an SSH public key, not a private key; ${NEED}`, { fix: RSA_FIX });
  }
  if (trimmed.startsWith('PuTTY-User-Key-File')) {
    return new UserError('key_invalid', `${name}: found a PuTTY (.ppk) key; ${NEED}`, {
      fix: 'export it to PEM: puttygen key.ppk -O private-openssh -o server.key (it must be an RSA key)',
    });
  }
  const compact = trimmed.replace(/\s+/g, '');
  if (compact.length >= 64 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    const kind = identifyDer(Buffer.from(compact, 'base64'));
    if (kind.kind !== 'unknown') {
      const label = kind.kind === 'private-key' && kind.format === 'pkcs1' ? 'RSA PRIVATE KEY' : kind.kind === 'certificate' ? 'CERTIFICATE' : 'PRIVATE KEY';
      return new UserError('key_invalid', `${name}: found base64 of ${describeDer(kind)} without its -----BEGIN ${label}----- and -----END ${label}----- lines; ${NEED}`, {
        fix: kind.kind === 'private-key' || kind.kind === 'encrypted-private-key' ? (fromFile ? `put the lines -----BEGIN ${label}----- before and -----END ${label}----- after the base64` : ENV_FIX) : pairFix,
      });
    }
  }
  if (!fromFile && /^[^\s]{1,300}\.(key|pem|p8|der)$/i.test(trimmed) && !trimmed.includes('\n')) {
    return new UserError('key_invalid', `${name} looks like a file path, not the key's text; ${NEED}`, {
      fix: `${ENV_FIX}, or set privateKeyPath in the config to the file`,
    });
  }
  return new UserError('key_invalid', `${name}: found no PEM private key (no -----BEGIN ... PRIVATE KEY----- line); ${NEED}`, {
    fix: fromFile ? `point privateKeyPath at the key file, ${KEYGEN_FIX}` : ENV_FIX,
  });
}

/** The error for a binary (DER) file given as the key. */
function binaryKeyError(name: string, file: string, kind: DerKind): UserError {
  switch (kind.kind) {
    case 'private-key':
      if (kind.keyType !== 'rsa') {
        return new UserError('key_invalid', `${name}: found ${describeKeyType(kind.keyType)} in DER (binary) form; Salesforce's JWT flow (RS256) needs an RSA key`, { fix: RSA_FIX });
      }
      return new UserError('key_invalid', `${name}: found DER (binary) ${kind.format === 'pkcs1' ? 'PKCS#1' : 'PKCS#8'} private key; ${NEED}`, {
        fix: `convert it: openssl pkey -in ${file} -inform DER -out server.key`,
      });
    case 'encrypted-private-key':
      return new UserError('key_invalid', `${name}: found an encrypted DER (binary) private key; ${NEED}`, {
        fix: `convert it (asks for the passphrase): openssl pkey -in ${file} -inform DER -out server.key`,
      });
    case 'certificate':
      return new UserError('key_invalid', `${name}: found a DER (binary) certificate, not a private key; ${NEED}`, {
        fix: 'point privateKeyPath at the private key made together with the certificate (server.key)',
      });
    case 'public-key':
      return new UserError('key_invalid', `${name}: found a DER (binary) public key, not a private key; ${NEED}`, {
        fix: 'point privateKeyPath at the private key made together with the certificate (server.key)',
      });
    default:
      return new UserError('key_invalid', `${name}: found binary data that is not a key or certificate (a .p12/.pfx bundle?); ${NEED}`, {
        fix: `from a .p12/.pfx bundle: openssl pkcs12 -in bundle.p12 -nocerts -nodes -out server.key; ${KEYGEN_FIX}`,
      });
  }
}

function describeDer(kind: DerKind): string {
  switch (kind.kind) {
    case 'private-key':
      return kind.keyType === 'rsa' ? 'an RSA private key' : describeKeyType(kind.keyType);
    case 'encrypted-private-key':
      return 'an encrypted private key';
    case 'certificate':
      return 'a certificate';
    case 'public-key':
      return 'a public key';
    default:
      return 'binary data';
  }
}
