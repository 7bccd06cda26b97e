import { sign, type KeyObject } from 'node:crypto';
import { Secret } from './secret.js';

/** Assertions live this long. Salesforce wants exp "within 3 minutes" (facts sheet). */
export const ASSERTION_LIFETIME_SECONDS = 180;

export interface AssertionClaims {
  /** Consumer Key of the Connected App / External Client App. */
  iss: string;
  /** Salesforce username. */
  sub: string;
  /** https://login.salesforce.com, https://test.salesforce.com, or the My Domain / site origin. */
  aud: string;
  /** Seconds since the epoch, UTC. */
  exp: number;
}

export interface AssertionInput {
  clientId: string;
  username: string;
  audience: string;
  privateKey: KeyObject;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: number;
}

export function assertionClaims(input: Omit<AssertionInput, 'privateKey'>): AssertionClaims {
  const now = input.now ?? Date.now();
  return {
    iss: input.clientId,
    sub: input.username,
    aud: input.audience,
    exp: Math.floor(now / 1000) + ASSERTION_LIFETIME_SECONDS,
  };
}

/** Sign the JWT Bearer assertion with RS256 (the only algorithm Salesforce documents), base64url-encoded. */
export function createAssertion(input: AssertionInput): Secret {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(assertionClaims(input))).toString('base64url');
  const signingInput = `${header}.${payload}`;
  const signature = sign('sha256', Buffer.from(signingInput), input.privateKey).toString('base64url');
  return new Secret(`${signingInput}.${signature}`);
}
