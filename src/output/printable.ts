/**
 * Text from a server (an error description, a username from userinfo, a page excerpt) made safe to print
 * on one line: control characters, escape sequences included, become spaces, runs of whitespace collapse,
 * and it is cut to `max` characters. A broken or hostile server (a captive portal, a proxy) must not be able
 * to draw on the user's terminal, e.g. print a fake "✓ Authentication successful" line.
 */
export function printable(value: string, max = 300): string {
  // C0 controls (ESC, CR, LF, TAB...), DEL, C1 controls, and the Unicode line/paragraph separators.
  // eslint-disable-next-line no-control-regex
  const text = redactSecrets(value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim());
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Secrets this process holds (salesforce/secret.ts registers each): a server may echo one back. */
const held = new Set<string>();

/** Register a secret value (an assertion, an access token) so that printable() never shows it. */
export function holdSecret(value: string): void {
  // An access token's secret is its part after '!' (before it: the org's id, which is not secret).
  for (const part of [value, value.slice(value.indexOf('!') + 1)]) if (part.length >= 16) held.add(part);
}

/** A run of base64url characters long enough to be a piece of a held secret rather than a chance match. */
const HELD_PIECE = /[A-Za-z0-9_-]{20,}/g;

/** A signed JWT (header.payload.signature, base64url), and a Salesforce access token (`00D…!…`). */
const SECRET_SHAPES = [/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, /\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]{16,}/g];

/**
 * Credentials people paste with an error (a request body, a config, a log line): the value after a secret's
 * name (`client_secret=…`, `"password": "…"`, `SF_PRIVATE_KEY_PASSPHRASE=…`), a token after `Bearer`, and the
 * password in a URL's user info (`http://bob:pw@proxy:8080`). The name stays, so the text still reads. A name
 * inside a longer one (INVALID_SESSION_ID) or a word after "Bearer" ("Bearer token missing") is not a secret.
 */
const SECRET_NAME = String.raw`(?<![A-Za-z0-9_])(?:SF_)?(?:client_?secret|consumer_?secret|password|passwd|passphrase|private_?key_?passphrase|refresh_?token|access_?token|session_?id)["']?`;
const SECRET_VALUE = String.raw`(?!\[redacted\])[^\s"'&,;)\]}]+`;
const SECRET_FIELDS = [
  // "name": "value" and name='value': the whole quoted value, spaces and all.
  new RegExp(`(${SECRET_NAME}\\s*[:=]\\s*")(?!\\[redacted\\])[^"\\n]*(?=")`, 'gi'),
  new RegExp(`(${SECRET_NAME}\\s*[:=]\\s*')(?!\\[redacted\\])[^'\\n]*(?=')`, 'gi'),
  // name=value: whatever the value is.
  new RegExp(`(${SECRET_NAME}\\s*=\\s*)${SECRET_VALUE}`, 'gi'),
  // name: value, unquoted: only a value that looks like one (a digit or a symbol in it), not "password: must be reset".
  new RegExp(`(${SECRET_NAME}\\s*:\\s*)(?=[^\\s"'&,;)\\]}]*[0-9!._~+/-])${SECRET_VALUE}`, 'gi'),
];
const BEARER = /(\bBearer\s+)(?!\[redacted\])[A-Za-z0-9._~+/!-]{16,}=*/g;
const URL_PASSWORD = /(\/\/[^\s/:@]+:)[^\s/@]+(@)/g;

/**
 * A standalone run of 60 or more base64 characters with digits and letters of both cases, or of hex digits:
 * a line of a PEM private key (64 wide), a one-line PEM body, a bare Consumer Secret (64 hex digits). Consumer
 * Keys (3MVG…, with dots and underscores), fingerprints (44, or hex with colons) and paths are not caught.
 */
const LONG_BASE64 = /(?<![A-Za-z0-9+/._-])(?!3MVG)[A-Za-z0-9+/]{60,}={0,2}(?![A-Za-z0-9+/=._-])/g;
const KEY_LIKE = (run: string) => /^[0-9A-Fa-f]+$/.test(run) || (/[0-9]/.test(run) && /[a-z]/.test(run) && /[A-Z]/.test(run));

/**
 * `text` with every secret this process holds, anything shaped like a JWT, an access token or a key's body, and
 * the value of any field named as a secret, replaced by `[redacted]`. A token host, an API or a proxy that echoes the request (the assertion in the form body, the
 * token in the Authorization header) in its error message would otherwise put it on screen, in --json and
 * in a report.
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of held) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
  // A piece of one echoed alone: an assertion's signature rebuilds it (its header and payload are predictable),
  // and a token's part after '!' is the secret. Any run of 20 or more of their characters found in one is hidden.
  if (held.size) out = out.replace(HELD_PIECE, (run) => ([...held].some((secret) => secret.includes(run)) ? '[redacted]' : run));
  for (const shape of SECRET_SHAPES) out = out.replace(shape, '[redacted]');
  for (const field of SECRET_FIELDS) out = out.replace(field, '$1[redacted]');
  return out
    .replace(BEARER, '$1[redacted]')
    .replace(URL_PASSWORD, '$1[redacted]$2')
    .replace(LONG_BASE64, (run) => (KEY_LIKE(run) ? '[redacted]' : run));
}
