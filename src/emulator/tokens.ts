/** An access token the emulator issued; kept out of OrgState so state dumps and logs carry no secrets. */
export interface IssuedToken {
  orgId: string;
  userId: string;
  username: string;
  /** The app's scopes when the token was issued. */
  scopes: string[];
  issuedAt: number;
}

/** Issued tokens by value. */
export type TokenStore = Map<string, IssuedToken>;

/** The first 8 characters: enough to tell tokens apart in a log (they are the org id's prefix), never the token. */
export function tokenPrefix(token: string): string {
  return token.slice(0, 8);
}

/** 'full' includes 'api' (Salesforce's "Full access" scope). */
export function hasApiScope(scopes: readonly string[]): boolean {
  return scopes.includes('api') || scopes.includes('full');
}
