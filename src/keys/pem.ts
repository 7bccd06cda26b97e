import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';

/** One `-----BEGIN X----- ... -----END X-----` block as found in a text. */
export interface PemBlock {
  /** The label, e.g. `PRIVATE KEY`, `RSA PRIVATE KEY`, `CERTIFICATE`. */
  label: string;
  /** RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: ...`) as written. */
  headers: string[];
  /** The block's whole text, BEGIN and END lines included. */
  text: string;
}

export interface PemScan {
  blocks: PemBlock[];
  /** Labels of BEGIN lines with no matching END line (a truncated paste or a corrupted file). */
  unterminated: string[];
}

const BEGIN = /-----BEGIN ([A-Z0-9]+(?: [A-Z0-9]+)*)-----/g;

/** The RFC 1421 headers a legacy encrypted PKCS#1 key carries; nothing else is recognised as a header. */
const HEADER = /^(Proc-Type|DEK-Info):[ \t]*(\S+)\s*/;

/** The labels of PEM blocks that hold a private key of some kind. */
export const PRIVATE_KEY_LABELS = new Set([
  'PRIVATE KEY',
  'RSA PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
  'EC PRIVATE KEY',
  'DSA PRIVATE KEY',
  'OPENSSH PRIVATE KEY',
  'ANY PRIVATE KEY',
]);

/**
 * Find the PEM blocks in a text, leniently: anything between the blocks is ignored (openssl's "Bag
 * Attributes" lines, comments), and a BEGIN without its END is reported instead of swallowing what follows.
 */
export function scanPem(text: string): PemScan {
  const blocks: PemBlock[] = [];
  const unterminated: string[] = [];
  const begin = new RegExp(BEGIN.source, 'g');
  let match: RegExpExecArray | null;
  while ((match = begin.exec(text))) {
    const label = match[1];
    const bodyStart = match.index + match[0].length;
    const endMarker = `-----END ${label}-----`;
    const end = text.indexOf(endMarker, bodyStart);
    const nextBegin = text.indexOf('-----BEGIN ', bodyStart);
    if (end === -1 || (nextBegin !== -1 && nextBegin < end)) {
      unterminated.push(label);
      continue;
    }
    const inner = text.slice(bodyStart, end);
    blocks.push({ label, headers: parseHeaders(inner).headers, text: text.slice(match.index, end + endMarker.length) });
    begin.lastIndex = end + endMarker.length;
  }
  return { blocks, unterminated };
}

/**
 * Repair PEM text that went through a CI secret store, an environment variable, a JSON file or a web form,
 * and return clean PEM: each block as `-----BEGIN X-----`, optional headers, base64 in 64-column lines,
 * `-----END X-----`, LF line ends, a final LF; text outside the blocks dropped.
 *
 * Handles: literal `\n` / `\r\n` escapes (also doubled `\\n`), CRLF or CR line ends, indentation and trailing
 * spaces, surrounding single or double quotes, a UTF-8 byte-order mark, the base64 of the whole PEM text
 * (some secret stores require base64), and a PEM collapsed onto one line with spaces for newlines.
 *
 * When the text cannot be repaired (no PEM block, a block without its END line, a body that is not
 * base64), the input is returned unchanged so the loader can say precisely what is wrong with it.
 */
export function normalizePemText(text: string): string {
  if (typeof text !== 'string') return text;
  const unwrapped = unwrapTransport(text);
  if (unwrapped.includes('-----BEGIN ')) return rebuild(unwrapped) ?? text;
  // Not PEM: maybe the whole PEM was base64-encoded to fit a secret store.
  const compact = unwrapped.replace(/\s+/g, '');
  if (compact.length >= 32 && /^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) {
    const decoded = Buffer.from(compact, 'base64').toString('utf8');
    if (decoded.includes('-----BEGIN ')) return rebuild(unwrapTransport(decoded)) ?? text;
  }
  return text;
}

/** Undo what transports do to text: BOM, quotes, escaped newlines, CR. */
function unwrapTransport(text: string): string {
  let t = text.replace(/^\uFEFF/, '').trim();
  // Quotes kept by a .env parser or pasted from JSON/YAML; possibly nested ('"..."').
  while (t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0]) t = t.slice(1, -1).trim();
  // A PEM never contains a backslash, so any backslash-n is an escaped newline (\\n when escaped twice).
  t = t.replace(/\\+r/g, '').replace(/\\+n/g, '\n');
  return t.replace(/\r\n?/g, '\n');
}

/** Canonical PEM for every block, or null when any block cannot be made canonical. */
function rebuild(text: string): string | null {
  const { blocks, unterminated } = scanPem(text);
  if (unterminated.length > 0 || blocks.length === 0) return null;
  let out = '';
  for (const block of blocks) {
    const begin = `-----BEGIN ${block.label}-----`;
    const inner = block.text.slice(begin.length, block.text.length - `-----END ${block.label}-----`.length);
    const { headers, rest } = parseHeaders(inner);
    const body = rest.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return null;
    out += `${begin}\n`;
    if (headers.length > 0) out += `${headers.join('\n')}\n\n`;
    out += `${body.match(/.{1,64}/g)!.join('\n')}\n-----END ${block.label}-----\n`;
  }
  return out;
}

/** Leading `Proc-Type:` / `DEK-Info:` headers of a block body; works on a body collapsed onto one line too. */
function parseHeaders(inner: string): { headers: string[]; rest: string } {
  const headers: string[] = [];
  let rest = inner.trimStart();
  let match: RegExpExecArray | null;
  while ((match = HEADER.exec(rest))) {
    headers.push(`${match[1]}: ${match[2]}`);
    rest = rest.slice(match[0].length);
  }
  return { headers, rest };
}

/** True for a legacy (OpenSSL "traditional") encrypted PEM block: `Proc-Type: 4,ENCRYPTED`. */
export function hasEncryptedHeader(block: PemBlock): boolean {
  return block.headers.some((header) => /^Proc-Type:\s*4,ENCRYPTED$/i.test(header));
}

/**
 * Whether bytes are binary rather than text: a NUL, invalid UTF-8, or a control character other than
 * whitespace. DER always trips one of these in its first few bytes (0x30 0x82 ...).
 */
export function looksBinary(data: Buffer): boolean {
  if (data.includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return true;
  }
  for (const byte of data) {
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0b && byte !== 0x0c) || byte === 0x7f) return true;
  }
  return false;
}

/** What a DER (binary) blob turned out to be. Only the kind: never the key itself. */
export type DerKind =
  | { kind: 'private-key'; format: 'pkcs8' | 'pkcs1' | 'sec1'; keyType: string }
  | { kind: 'encrypted-private-key' }
  | { kind: 'certificate' }
  | { kind: 'public-key'; keyType: string }
  | { kind: 'unknown' };

/** Identify a DER blob by trying the parsers OpenSSL has (cheap: they fail on the first bytes). */
export function identifyDer(data: Buffer): DerKind {
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      const key = createPrivateKey({ key: data, format: 'der', type });
      return { kind: 'private-key', format: type, keyType: key.asymmetricKeyType ?? 'unknown' };
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_MISSING_PASSPHRASE') return { kind: 'encrypted-private-key' };
    }
  }
  try {
    new X509Certificate(data);
    return { kind: 'certificate' };
  } catch {
    // not a certificate
  }
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      const key = createPublicKey({ key: data, format: 'der', type });
      return { kind: 'public-key', keyType: key.asymmetricKeyType ?? 'unknown' };
    } catch {
      // not this kind of public key
    }
  }
  return { kind: 'unknown' };
}

/** `AB:CD:...` upper-case hex, the form Node's X509Certificate.fingerprint256 and openssl print. */
export function colonHex(data: Uint8Array): string {
  return Buffer.from(data).toString('hex').toUpperCase().match(/../g)!.join(':');
}

/**
 * SHA-256 of the public key's SubjectPublicKeyInfo DER: the same value for a private key and the certificate
 * made from it, so two fingerprints can be compared by eye (`openssl pkey -pubout -outform DER | sha256sum`).
 */
export function publicKeyFingerprint(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return colonHex(createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest());
}

/** A human name for a Node key type, as used in messages ("an EC (prime256v1) key"). */
export function describeKeyType(keyType: string, curve?: string): string {
  switch (keyType) {
    case 'rsa':
      return 'an RSA key';
    case 'rsa-pss':
      return 'an RSA-PSS key (restricted to PSS signatures)';
    case 'ec':
      return curve ? `an EC (${curve}) key` : 'an EC key';
    case 'ed25519':
      return 'an Ed25519 key';
    case 'ed448':
      return 'an Ed448 key';
    case 'x25519':
      return 'an X25519 key';
    case 'x448':
      return 'an X448 key';
    case 'dsa':
      return 'a DSA key';
    case 'dh':
      return 'a Diffie-Hellman key';
    default:
      return `a ${keyType} key`;
  }
}
