import { UserError } from '../errors.js';

/**
 * The distinguished-name fields `openssl req` prompts for in the seed guide. Salesforce ignores every one of
 * them (it only checks the signature with the certificate's public key), so they are there for people reading
 * the certificate later: who made it and for what.
 */
export interface CertificateSubject {
  /** Country: exactly two letters (ISO 3166), e.g. US. */
  C?: string;
  /** State or province. */
  ST?: string;
  /** Locality (city). */
  L?: string;
  /** Organization. */
  O?: string;
  /** Organizational unit. */
  OU?: string;
  /** Common name. */
  CN?: string;
  /** Contact e-mail address (ASCII only: X.509 stores it as an IA5String). */
  emailAddress?: string;
}

/** One attribute name of {@link CertificateSubject}. */
export type SubjectField = keyof CertificateSubject;

/** Field order as openssl prompts and prints it; also the order written into the certificate. */
export const SUBJECT_FIELDS: readonly SubjectField[] = ['C', 'ST', 'L', 'O', 'OU', 'CN', 'emailAddress'];

/**
 * Defaults for `keygen`, taken from the seed guide's example answers. The common name is `sf-setup` rather
 * than a host name: Salesforce never checks it, and a fixed value keeps generated certificates reproducible
 * in tests and honest about where they came from.
 */
export const DEFAULT_SUBJECT: Readonly<Required<CertificateSubject>> = Object.freeze({
  C: 'US',
  ST: 'California',
  L: 'San Francisco',
  O: 'Your Company',
  OU: 'IT',
  CN: 'sf-setup',
  emailAddress: 'admin@example.com',
});

/** RFC 5280 upper bounds (characters) for each attribute; the country is exactly 2. */
const MAX_LENGTH: Record<SubjectField, number> = {
  C: 2,
  ST: 128,
  L: 128,
  O: 64,
  OU: 64,
  CN: 64,
  emailAddress: 255,
};

/** Names accepted in `--subject`, lower-cased: openssl short names, long names and common spellings. */
const ALIASES: Record<string, SubjectField> = {
  c: 'C',
  countryname: 'C',
  st: 'ST',
  s: 'ST',
  stateorprovincename: 'ST',
  l: 'L',
  localityname: 'L',
  o: 'O',
  organizationname: 'O',
  ou: 'OU',
  organizationalunitname: 'OU',
  cn: 'CN',
  commonname: 'CN',
  emailaddress: 'emailAddress',
  email: 'emailAddress',
  e: 'emailAddress',
};

const SUBJECT_FIX = 'write the subject as C=US,ST=California,L=San Francisco,O=Acme,OU=IT,CN=acme.com,emailAddress=admin@acme.com (or openssl\'s /C=US/ST=.../CN=... form); escape a comma in a value as \\,';

/**
 * Parse a subject written as `C=US,ST=California,O=Acme\, Inc.,CN=acme.com` or in openssl's
 * `/C=US/ST=California/CN=acme.com` form (the form `openssl req -subj` takes). A backslash escapes the next
 * character. Empty values are left out, like openssl does. Throws UserError `cert_invalid` for an unknown or
 * repeated attribute, a part without `=`, or a value X.509 cannot hold (see {@link validateSubject}).
 */
export function parseSubject(text: string): CertificateSubject {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  const slashForm = trimmed.startsWith('/');
  const separator = slashForm ? '/' : ',';
  const parts = splitUnescaped(slashForm ? trimmed.slice(1) : trimmed, separator);
  const subject: CertificateSubject = {};
  for (const part of parts) {
    if (part.raw.trim() === '') continue; // "C=US,,CN=x" or a trailing separator
    const eq = firstUnescaped(part, '=');
    if (eq === -1) {
      throw new UserError('cert_invalid', `certificate subject part "${part.raw.trim()}" is not NAME=value`, { fix: SUBJECT_FIX });
    }
    const name = part.raw.slice(0, eq).trim();
    const field = ALIASES[name.toLowerCase()];
    if (!field) {
      throw new UserError(
        'cert_invalid',
        `unknown certificate subject attribute "${name}"; known: ${SUBJECT_FIELDS.join(', ')}`,
        { fix: SUBJECT_FIX },
      );
    }
    if (subject[field] !== undefined) {
      throw new UserError('cert_invalid', `certificate subject attribute ${field} is given twice`, { fix: SUBJECT_FIX });
    }
    const value = unescape(part.raw.slice(eq + 1)).trim();
    if (value !== '') subject[field] = value;
  }
  return validateSubject(subject);
}

/**
 * Check every field can be written into an X.509 name, and return a cleaned copy (country upper-cased,
 * empty fields dropped). Throws UserError `cert_invalid` naming the field and the rule.
 */
export function validateSubject(subject: CertificateSubject): CertificateSubject {
  const clean: CertificateSubject = {};
  for (const field of Object.keys(subject) as SubjectField[]) {
    if (!SUBJECT_FIELDS.includes(field)) {
      throw new UserError('cert_invalid', `unknown certificate subject attribute "${String(field)}"; known: ${SUBJECT_FIELDS.join(', ')}`, { fix: SUBJECT_FIX });
    }
  }
  for (const field of SUBJECT_FIELDS) {
    const raw = subject[field];
    if (raw === undefined || raw === null) continue;
    if (typeof raw !== 'string') {
      throw new UserError('cert_invalid', `certificate subject ${field} must be text`, { fix: SUBJECT_FIX });
    }
    const value = raw.trim();
    if (value === '') continue;
    // Control characters would make the name unreadable (and are rejected by many X.509 parsers).
    if (/[\u0000-\u001f\u007f]/.test(value)) {
      throw new UserError('cert_invalid', `certificate subject ${field} contains a control character`, { fix: SUBJECT_FIX });
    }
    const length = [...value].length;
    if (field === 'C') {
      // openssl refuses anything but two characters here ("string too long/short"); X.509 stores a PrintableString.
      if (!/^[A-Za-z]{2}$/.test(value)) {
        throw new UserError('cert_invalid', `certificate subject C (country) must be a two-letter code such as US, not "${value}"`, { fix: SUBJECT_FIX });
      }
      clean.C = value.toUpperCase();
      continue;
    }
    if (field === 'emailAddress' && !/^[\x21-\x7e]+$/.test(value)) {
      throw new UserError('cert_invalid', 'certificate subject emailAddress must be plain ASCII without spaces', { fix: SUBJECT_FIX });
    }
    if (length > MAX_LENGTH[field]) {
      throw new UserError('cert_invalid', `certificate subject ${field} is ${length} characters; X.509 allows at most ${MAX_LENGTH[field]}`, { fix: SUBJECT_FIX });
    }
    clean[field] = value;
  }
  return clean;
}

/** One line, in the same `C=US, ST=..., CN=...` form parseSubject reads (commas in values escaped). */
export function formatSubject(subject: CertificateSubject): string {
  return SUBJECT_FIELDS.filter((field) => subject[field])
    .map((field) => `${field}=${subject[field]!.replace(/([\\,])/g, '\\$1')}`)
    .join(', ');
}

interface RawPart {
  raw: string;
  /** Offsets (in raw) of characters that were escaped, so an escaped "=" is not taken as the separator. */
  escapes: Set<number>;
}

/** Split on a separator not preceded by a backslash; keeps escapes in the parts (unescaped later). */
function splitUnescaped(text: string, separator: string): RawPart[] {
  const parts: RawPart[] = [];
  let current = '';
  let escapes = new Set<number>();
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      escapes.add(current.length + 1);
      current += ch + text[i + 1];
      i++;
    } else if (ch === separator) {
      parts.push({ raw: current, escapes });
      current = '';
      escapes = new Set();
    } else {
      current += ch;
    }
  }
  parts.push({ raw: current, escapes });
  return parts;
}

function firstUnescaped(part: RawPart, ch: string): number {
  for (let i = part.raw.indexOf(ch); i !== -1; i = part.raw.indexOf(ch, i + 1)) {
    if (!part.escapes.has(i)) return i;
  }
  return -1;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/gs, '$1');
}
