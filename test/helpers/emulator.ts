/** Shared plumbing for the emulator tests: start orgs that are closed after each test, sign and post assertions. */
import { afterEach } from 'vitest';
import { JWT_BEARER_GRANT, startEmulator, type EmulatedOrg, type EmulatorOptions } from '../../src/emulator/index.js';
import { makeKeyAndCert, signAssertion, type AssertionOptions, type KeyAndCert } from './certs.js';

let shared: KeyAndCert | undefined;

/** One key and certificate per test file (each test file runs in its own process). */
export function sharedKey(): KeyAndCert {
  shared ??= makeKeyAndCert();
  return shared;
}

/** Registers an afterEach that closes every org started through the returned function. */
export function useEmulators(): (options?: EmulatorOptions) => Promise<EmulatedOrg> {
  const running: EmulatedOrg[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((org) => org.close()));
  });
  return async (options = {}) => {
    const org = await startEmulator({ certificates: [sharedKey().certificatePem], ...options });
    running.push(org);
    return org;
  };
}

/** Claims a careful client sends: the org's own consumer key, username and My Domain aud, exp now + 180 s. */
export function goodClaims(org: EmulatedOrg, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: org.clientId, sub: org.username, aud: org.audience, exp: Math.floor(Date.now() / 1000) + 180, ...overrides };
}

export function assertionFor(org: EmulatedOrg, overrides: Record<string, unknown> = {}, options: AssertionOptions & { key?: string } = {}): string {
  return signAssertion(options.key ?? sharedKey().privateKeyPem, goodClaims(org, overrides), options);
}

export interface TokenAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

/** POST a form body to the org's token endpoint. */
export async function postToken(org: EmulatedOrg, assertion: string, init: { grantType?: string; contentType?: string; method?: string; body?: string } = {}): Promise<TokenAnswer> {
  const body = init.body ?? new URLSearchParams({ grant_type: init.grantType ?? JWT_BEARER_GRANT, assertion }).toString();
  const method = init.method ?? 'POST';
  const response = await fetch(org.tokenUrl, {
    method,
    headers: { 'content-type': init.contentType ?? 'application/x-www-form-urlencoded' },
    body: method === 'GET' || method === 'HEAD' ? undefined : body,
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // HTML answers (maintenance) stay in `text`.
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A token from a healthy org, for REST tests. */
export async function tokenFor(org: EmulatedOrg): Promise<string> {
  const answer = await postToken(org, assertionFor(org));
  if (answer.status !== 200) throw new Error(`no token: ${answer.text}`);
  return answer.json.access_token as string;
}
