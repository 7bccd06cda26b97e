import { distance } from '../output/closest.js';
import { printable } from '../output/printable.js';
import { KNOWLEDGE_BASE, entryFor, entryForWords, findEntry, type KnowledgeEntry } from './knowledge-base.js';

/** The JSON body Salesforce's token endpoint sends on failure. */
export interface OAuthErrorBody {
  error?: unknown;
  error_description?: unknown;
}

export interface Classification {
  entry: KnowledgeEntry;
  /** Salesforce's own words, when they were found. */
  error?: string;
  errorDescription?: string;
  /** Found from the OAuth error value alone (no description): the entry is that error's most common case. */
  errorOnly?: boolean;
  /**
   * Found from pasted words that are not Salesforce's own ("blocked by login hours", "invalid signature"):
   * the line that matched, to show as the user's words, never as Salesforce's.
   */
  loose?: string;
  /**
   * Other errors recognised in the same text (a log with several attempts), earliest first: the entry is the
   * last one, the latest outcome.
   */
  alsoFound?: { code: string; title: string }[];
}

/** A non-empty string, made printable: these words come from a server or a paste and end up on the terminal. */
function text(value: unknown): string | undefined {
  const clean = typeof value === 'string' ? printable(value, 500) : '';
  return clean.length > 0 ? clean : undefined;
}

/** Where the last match of any of the patterns starts in the text (-1 when none matches). */
function lastMatch(patterns: readonly RegExp[], value: string): number {
  let last = -1;
  for (const pattern of patterns) {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    for (const match of value.matchAll(global)) last = Math.max(last, match.index);
  }
  return last;
}

function matchesAny(patterns: readonly RegExp[] | undefined, value: string): boolean {
  return patterns?.some((pattern) => pattern.test(value)) ?? false;
}

/**
 * Map a token-endpoint error body to its entry. Several causes share one `error` value, so the
 * description decides first; the `error` alone falls back to that error's catch-all entry.
 */
export function classifyOAuthError(body: OAuthErrorBody, options: { pasted?: boolean } = {}): Classification {
  const error = text(body.error)?.trim().toLowerCase();
  const errorDescription = text(body.error_description)?.trim();
  if (errorDescription) {
    const byDescription = KNOWLEDGE_BASE.find(
      (entry) =>
        matchesAny(entry.recognise?.description, errorDescription) &&
        (!error || !entry.recognise?.error || entry.recognise.error.includes(error)),
    );
    if (byDescription) return { entry: entryForWords(byDescription, errorDescription), error, errorDescription };
  }
  // A near miss of Salesforce's wording can only be a paste: its own answers use its own words.
  const near = options.pasted ? nearWording(errorDescription) : undefined;
  if (near && (!error || !near.recognise?.error || near.recognise.error.includes(error))) return { entry: near, error, loose: errorDescription };
  if (error) {
    const byError = entryForErrorValue(error, errorDescription);
    if (byError) return { entry: byError, error, errorDescription, errorOnly: !errorDescription };
  }
  return { entry: entryFor('oauth_error'), error, errorDescription };
}

/** Every exact wording Salesforce sends, with its entry. */
const WORDINGS = new Map(KNOWLEDGE_BASE.flatMap((entry) => (entry.recognise?.wording ?? []).map((words) => [words.toLowerCase(), entry] as const)));

/**
 * The entry whose exact wording a pasted description nearly is: a typo or two, British spelling ("audience is
 * invlaid", "expired authorisation code"). Only pasted text can have those: Salesforce sends its own words.
 */
function nearWording(description: string | undefined): KnowledgeEntry | undefined {
  const words = description?.toLowerCase().replace(/\s+/g, ' ').trim();
  if (!words || words.length < 8) return undefined;
  // Two edits at most, and never a whole word: "invalid authorization code" (a real answer of another flow)
  // is not "expired authorization code".
  const near = [...WORDINGS.keys()].find((wording) => distance(words, wording) <= 2 && wordsAlign(words, wording));
  return near ? WORDINGS.get(near) : undefined;
}

/** Same number of words, each within one edit (two for a long word) of its counterpart. */
function wordsAlign(a: string, b: string): boolean {
  const x = a.split(' ');
  const y = b.split(' ');
  return x.length === y.length && x.every((word, i) => distance(word, y[i]) <= (y[i].length > 8 ? 2 : 1));
}

/**
 * The entry for an OAuth `error` value whose description named no entry. With no description, the value's
 * most common case (its catch-all, else its first entry), said to be a guess (errorOnly). With a description
 * sf-setup does not know: a specific value's one entry; for a generic value (invalid_request), only a catch-all
 * (invalid_grant's): another would quote words Salesforce did not send ("invalid_request: missing required
 * code challenge" is not the refresh_token scope answer).
 */
function entryForErrorValue(error: string, description?: string): KnowledgeEntry | undefined {
  const candidates = KNOWLEDGE_BASE.filter((entry) => entry.recognise?.error?.includes(error));
  const catchAll = candidates.find((entry) => !entry.recognise?.description);
  // A specific value (inactive_user, invalid_client_id) names its entry, whatever the wording; the generic
  // ones Salesforce sends for many different problems do not.
  if (!GENERIC_ERROR_VALUES.has(error) && candidates.length === 1) return candidates[0];
  return description ? catchAll : catchAll ?? candidates[0];
}

/** OAuth error values Salesforce sends for many different problems: only the description tells which. */
const GENERIC_ERROR_VALUES = new Set(['invalid_request', 'invalid_grant', 'invalid_client']);

/** Entries read from a network or page symptom: a Salesforce error value in the same text means Salesforce answered. */
const SYMPTOM_CODES = new Set(['dns_failure', 'network_unreachable', 'timeout', 'tls_untrusted', 'unexpected_response']);

/** RFC 6749's error values (5.2) and Salesforce's own: pasted as text, they are read as a JSON body's would be. */
const OAUTH_ERROR_VALUES = [
  ...new Set([
    ...KNOWLEDGE_BASE.flatMap((entry) => entry.recognise?.error ?? []),
    'invalid_request',
    'invalid_client',
    'invalid_grant',
    'unauthorized_client',
    'unsupported_grant_type',
    'invalid_scope',
  ]),
];

/**
 * Recognise pasted text: a JSON error body, `invalid_grant: ip restricted`, a browser URL with
 * `error=...&error_description=...`, the Salesforce CLI's wrapped message, a browser page code such as
 * OAUTH_APPROVAL_ERROR_GENERIC, or one of our own codes. Returns null when nothing matches.
 */
export function classifyText(input: string): Classification | null {
  const pasted = normalise(input).trim();
  if (!pasted) return null;

  const bodies = errorBodies(pasted);
  if (bodies.length) return classifyBodies(pasted, bodies);

  // The description may be pasted decoded, spaces and all ("error_description=client identifier invalid").
  const query = /(?:^|[?&#\s])error=([^&\s#]+)(?:&error_description=([^&#\n"'<>]+))?/.exec(pasted);
  if (query) {
    const decode = (s: string) => {
      const spaced = s.replace(/\+/g, ' ');
      try {
        return decodeURIComponent(spaced);
      } catch {
        return spaced; // a malformed %-escape: keep the text as pasted
      }
    };
    const fromQuery = classifyOAuthError({ error: decode(query[1]), error_description: query[2] ? decode(query[2]).trim() : undefined }, { pasted: true });
    if (fromQuery.entry.code !== 'oauth_error') return fromQuery;
  }

  const ownCode = findEntry(pasted.toLowerCase());
  if (ownCode) return { entry: ownCode };

  const lower = pasted.toLowerCase();
  const lines = pasted.split('\n');
  /** The OAuth error value written in `text` ("invalid_grant"), if any. */
  const errorIn = (text: string) => {
    const words = text.toLowerCase();
    return OAUTH_ERROR_VALUES.find((value) => new RegExp(`\\b${value}\\b`).test(words));
  };
  const errorValue = errorIn(lower);
  // Salesforce's words as most tools print them, "invalid_grant: ip restricted": the description after the
  // error value, on the line that was recognised.
  const describedIn = (patterns: readonly RegExp[] | undefined, value = errorValue): string | undefined => {
    // The last such line: in a log, the latest attempt.
    const line = lines.findLast((l) => (patterns ? matchesAny(patterns, l) : value && l.toLowerCase().includes(`${value}:`)));
    if (!line) return undefined;
    // "invalid_grant: …", "invalid_grant - …" (Java and Mule exceptions); the end of a JSON or quoted string
    // ("…invalid\",") is the paste's, not Salesforce's.
    const after = value ? new RegExp(`\\b${value}\\b\\s*(?::|\\s-\\s)\\s*(.+)$`, 'i').exec(line)?.[1] : undefined;
    // Without "value: words", Salesforce's words start where its wording does ("Error (1): user hasn't…",
    // "[invalid_grant] user hasn't…"); a paraphrase keeps the whole line.
    const at = after === undefined && patterns?.[0] ? line.search(patterns[0]) : -1;
    const words = after ?? (patterns ? (at > 0 ? line.slice(at) : line) : undefined);
    return text(words?.replace(/["'`,;\s]+$/, ''));
  };
  // An entry fits a line when the error value written there (if any) is one it is sent with: in a log of
  // several errors, each line's own value counts, not the first one in the text.
  const fitsLine = (entry: KnowledgeEntry, line: string) => {
    const value = errorIn(line);
    return !value || !entry.recognise?.error || entry.recognise.error.includes(value) || !line.toLowerCase().includes(`${value}:`);
  };
  const byDescription = KNOWLEDGE_BASE.filter((entry) => {
    const patterns = entry.recognise?.description;
    if (!matchesAny(patterns, pasted)) return false;
    const on = lines.filter((line) => matchesAny(patterns, line));
    // A description broken over lines is judged on the whole text.
    return on.length ? on.some((line) => fitsLine(entry, line)) : fitsLine(entry, pasted);
  });
  // Several errors in one paste (a log of attempts): the latest is the outcome, the others are named. The
  // Salesforce CLI tries several hosts and prints every failure: "audience is invalid" lines bury the real
  // error (facts sheet), so another recognised error wins over them wherever it is.
  const lineAt = (index: number) => pasted.slice(0, index).split('\n').length;
  const found = byDescription.map((entry) => ({ entry, at: lastMatch(entry.recognise!.description!, pasted) })).sort((a, b) => a.at - b.at);
  const last = found.findLast(({ entry }) => entry.code !== 'audience_invalid') ?? found.at(-1);
  const chosen = last?.entry;
  if (chosen) {
    const patterns = chosen.recognise?.description;
    // Two entries reading the same line are one error, not two.
    const others = found.filter(({ entry, at }) => entry !== chosen && entry.code !== 'audience_invalid' && lineAt(at) !== lineAt(last.at)).map(({ entry }) => entry);
    const alsoFound = others.length ? { alsoFound: others.map(({ code, title }) => ({ code, title })) } : {};
    // An entry's first pattern is Salesforce's own wording; the others catch guides' words, partial copies
    // and paraphrases. Without that wording or an OAuth error value, the words are the user's, not Salesforce's.
    // The error value is the one on the chosen error's own (last) line, else the text's.
    const ownLine = lines.findLast((line) => matchesAny(patterns, line));
    const value = (ownLine && errorIn(ownLine)) ?? errorValue;
    if (!value && patterns?.[0] && !patterns[0].test(pasted)) return { entry: entryForWords(chosen, pasted), loose: describedIn(patterns, value), ...alsoFound };
    return { entry: entryForWords(chosen, pasted), error: value, errorDescription: describedIn(patterns, value), ...alsoFound };
  }

  // "timeout" or "maintenance" in a stack trace (listOnTimeout, timeout=30) must not hide Salesforce's own
  // error value: the request was answered.
  const byText = KNOWLEDGE_BASE.find((entry) => matchesAny(entry.recognise?.text, pasted) && !(errorValue && SYMPTOM_CODES.has(entry.code)));
  if (byText) return { entry: entryForWords(byText, pasted), error: errorValue };

  if (errorValue) {
    const described = describedIn(undefined);
    const near = nearWording(described);
    if (near && (!near.recognise?.error || near.recognise.error.includes(errorValue))) return { entry: near, error: errorValue, loose: described };
    const byError = entryForErrorValue(errorValue, described);
    return { entry: byError ?? entryFor('oauth_error'), error: errorValue, errorDescription: described, errorOnly: !described };
  }
  return null;
}

/** An OAuth error body found in pasted text, with the lines it spans (0-based). */
interface FoundBody {
  body: OAuthErrorBody;
  first: number;
  last: number;
}

/**
 * The error bodies in a paste: one JSON object (pretty-printed or not), else one per line (JSON, a Python dict,
 * a Java map: a log of attempts), else fields printed over several lines.
 */
function errorBodies(pasted: string): FoundBody[] {
  const lineOf = (index: number) => pasted.slice(0, index).split('\n').length - 1;
  const whole = parseJsonError(pasted);
  if (whole) return [{ body: whole, first: lineOf(pasted.indexOf('{')), last: lineOf(pasted.lastIndexOf('}')) }];
  // Several JSON bodies, pretty-printed over several lines each (a log of attempts).
  const objects = jsonObjects(pasted);
  if (objects.length > 1) return objects.map(({ body, start, end }) => ({ body, first: lineOf(start), last: lineOf(end) }));
  const lines = pasted.split('\n');
  const perLine = lines.flatMap((line, i) => {
    const body = parseJsonError(line) ?? quotedFields(line);
    return body ? [{ body, first: i, last: i }] : [];
  });
  if (perLine.length) return perLine;
  const fields = quotedFields(pasted);
  return fields ? [{ body: fields, first: 0, last: lines.length - 1 }] : [];
}

/** Each top-level `{…}` in the text that is JSON with an `error` field, with where it starts and ends. */
function jsonObjects(text: string): { body: OAuthErrorBody; start: number; end: number }[] {
  const found: { body: OAuthErrorBody; start: number; end: number }[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    // Quotes count only inside an object: outside, they are the log's prose.
    if (c === '"' && depth > 0) inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' && depth > 0 && --depth === 0) {
      try {
        const value: unknown = JSON.parse(text.slice(start, i + 1));
        if (value && typeof value === 'object' && 'error' in value) found.push({ body: value as OAuthErrorBody, start, end: i });
      } catch {
        // not JSON: a brace in prose
      }
    }
  }
  return found;
}

/**
 * A paste holding error bodies. One body and no other error: that body. Several errors (bodies, or bodies and
 * text lines: a log of attempts): the latest is the outcome and the others are named, as for text.
 */
function classifyBodies(pasted: string, bodies: FoundBody[]): Classification {
  const lines = pasted.split('\n');
  const inBody = (i: number) => bodies.some(({ first, last }) => i >= first && i <= last);
  const textLines = lines.flatMap((line, at) => (!inBody(at) && KNOWLEDGE_BASE.some((entry) => matchesAny(entry.recognise?.description, line)) ? [{ line, at }] : []));
  if (bodies.length === 1 && textLines.length === 0) return classifyOAuthError(bodies[0].body, { pasted: true });
  const found = [
    ...bodies.map(({ body, first }) => ({ at: first, found: classifyOAuthError(body, { pasted: true }) })),
    ...textLines.flatMap(({ line, at }) => {
      const found = classifyText(line);
      return found ? [{ at, found }] : [];
    }),
  ].sort((a, b) => a.at - b.at);
  return latestOf(found.map(({ found }) => found));
}

/**
 * The latest of several errors, in the order found, with the others named (each once). The Salesforce CLI tries
 * several hosts and prints every failure: "audience is invalid" lines bury the real error (facts sheet), so
 * another error wins over them wherever it is, and they are not listed.
 */
function latestOf(found: Classification[]): Classification {
  const chosen = found.findLast(({ entry }) => entry.code !== 'audience_invalid') ?? found.at(-1)!;
  const seen = new Set([chosen.entry.code, 'audience_invalid']);
  const others = found.flatMap(({ entry }) => (seen.has(entry.code) ? [] : (seen.add(entry.code), [{ code: entry.code, title: entry.title }])));
  return others.length ? { ...chosen, alsoFound: others } : chosen;
}

/** Typographic quotes and apostrophes (a paste from a web page or a chat), and non-breaking spaces, made plain. */
function normalise(input: string): string {
  return input.replace(/[\u2018\u2019\u02bc\u2032]/g, "'").replace(/[\u201c\u201d\u2033]/g, '"').replace(/[\u00a0\u2007\u202f]/g, ' ');
}

/**
 * `error` and `error_description` printed as fields, not JSON: a Python dict ({'error': 'invalid_grant', ...}),
 * a JavaScript object (error_description: 'ip restricted'), a Java map (error=invalid_grant,
 * error_description=...). Only when both are there: a lone "error" field is too common a word.
 */
function quotedFields(pasted: string): OAuthErrorBody | null {
  const field = (name: string) =>
    new RegExp(`['"]?\\b${name}['"]?\\s*[:=]\\s*(?:'([^'\\n]*)'|"([^"\\n]*)"|([^,}\\]\\n]+))`).exec(pasted);
  const error = field('error');
  const description = field('error_description');
  if (!error || !description) return null;
  const value = (m: RegExpExecArray) => (m[1] ?? m[2] ?? m[3] ?? '').trim();
  return /^[a-z_]+$/.test(value(error)) ? { error: value(error), error_description: value(description) } : null;
}

/** Find a `{"error": ..., "error_description": ...}` object in the text (whole, or embedded in a log line). */
function parseJsonError(pasted: string): OAuthErrorBody | null {
  const start = pasted.indexOf('{');
  const end = pasted.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  try {
    const value: unknown = JSON.parse(pasted.slice(start, end + 1));
    if (value && typeof value === 'object' && 'error' in value) return value as OAuthErrorBody;
  } catch {
    // Not JSON: fall through to the text recognisers.
  }
  return null;
}
