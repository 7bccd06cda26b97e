import { randomBytes } from 'node:crypto';

/**
 * A realistic Consumer Key: Salesforce's are 85 characters starting '3MVG9', from letters, digits, '_' and
 * '.'. Deterministic so a config written for one emulator run works against the next.
 */
export const DEFAULT_CLIENT_ID = '3MVG9fe4g9fhX0E5xLlUhGxL0eQp7Lr8yS2aZkHqJw1VtNnB3cDmR6uYiOoPzKjXxQwErTyUiOpAsDfGhJk.Z';

/** The emulated org's integration user. */
export const DEFAULT_USERNAME = 'demo@example.com';

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * The 18-character form of a 15-character Salesforce id: three suffix characters, each encoding which of
 * five characters are upper case (Salesforce's documented case-safe id algorithm).
 */
export function toId18(id15: string): string {
  if (id15.length !== 15) throw new TypeError(`a Salesforce id has 15 characters before its suffix, got ${id15.length}`);
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15[chunk * 5 + i];
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return id15 + suffix;
}

export const DEFAULT_ORG_ID = toId18('00D5j00000DemoA');
export const DEFAULT_USER_ID = toId18('0055j00000DemoB');

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

/** An access token shaped like Salesforce's: the 15-character org id, '!', then 'AQ' and random text. */
export function newAccessToken(orgId: string): string {
  const bytes = randomBytes(96);
  let tail = '';
  for (const byte of bytes) tail += TOKEN_ALPHABET[byte % TOKEN_ALPHABET.length];
  return `${orgId.slice(0, 15)}!AQ${tail}`;
}
