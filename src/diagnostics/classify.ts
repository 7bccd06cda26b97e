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
}

/** A non-empty string, made printable: these words come from a server or a paste and end up on the terminal. */
function text(value: unknown): string | undefined {
  const clean = typeof value === 'string' ? printable(value, 500) : '';
  return clean.length > 0 ? clean : undefined;
}

function matchesAny(patterns: readonly RegExp[] | undefined, value: string): boolean {
  return patterns?.some((pattern) => pattern.test(value)) ?? false;
}

/**
 * Map a token-endpoint error body to its entry. Several causes share one `error` value, so the
 * description decides first; the `error` alone falls back to that error's catch-all entry.
 */
export function classifyOAuthError(body: OAuthErrorBody): Classification {
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
  if (error) {
    const byError = entryForErrorValue(error);
    if (byError) return { entry: byError, error, errorDescription };
  }
  return { entry: entryFor('oauth_error'), error, errorDescription };
}

/** The catch-all entry for an OAuth `error` value: the one recognising it without a description, else the first. */
function entryForErrorValue(error: string): KnowledgeEntry | undefined {
  const candidates = KNOWLEDGE_BASE.filter((entry) => entry.recognise?.error?.includes(error));
  return candidates.find((entry) => !entry.recognise?.description) ?? candidates[0];
}

const OAUTH_ERROR_VALUES = [...new Set(KNOWLEDGE_BASE.flatMap((entry) => entry.recognise?.error ?? []))];

/**
 * Recognise pasted text: a JSON error body, `invalid_grant: ip restricted`, a browser URL with
 * `error=...&error_description=...`, the Salesforce CLI's wrapped message, a browser page code such as
 * OAUTH_APPROVAL_ERROR_GENERIC, or one of our own codes. Returns null when nothing matches.
 */
export function classifyText(input: string): Classification | null {
  const pasted = input.trim();
  if (!pasted) return null;

  const json = parseJsonError(pasted);
  if (json) return classifyOAuthError(json);

  const query = /(?:^|[?&#\s])error=([^&\s#]+)(?:&error_description=([^&\s#]+))?/.exec(pasted);
  if (query) {
    const decode = (s: string) => {
      const spaced = s.replace(/\+/g, ' ');
      try {
        return decodeURIComponent(spaced);
      } catch {
        return spaced; // a malformed %-escape: keep the text as pasted
      }
    };
    const fromQuery = classifyOAuthError({ error: decode(query[1]), error_description: query[2] ? decode(query[2]) : undefined });
    if (fromQuery.entry.code !== 'oauth_error') return fromQuery;
  }

  const ownCode = findEntry(pasted.toLowerCase());
  if (ownCode) return { entry: ownCode };

  const lower = pasted.toLowerCase();
  const errorValue = OAUTH_ERROR_VALUES.find((value) => new RegExp(`\\b${value}\\b`).test(lower));
  const byDescription = KNOWLEDGE_BASE.find(
    (entry) =>
      matchesAny(entry.recognise?.description, pasted) &&
      (!errorValue || !entry.recognise?.error || entry.recognise.error.includes(errorValue) || !lower.includes(`${errorValue}:`)),
  );
  if (byDescription) return { entry: entryForWords(byDescription, pasted), error: errorValue };

  const byText = KNOWLEDGE_BASE.find((entry) => matchesAny(entry.recognise?.text, pasted));
  if (byText) return { entry: byText, error: errorValue };

  if (errorValue) {
    const byError = entryForErrorValue(errorValue);
    if (byError) return { entry: byError, error: errorValue };
  }
  return null;
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
