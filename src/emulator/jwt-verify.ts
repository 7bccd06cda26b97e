import { X509Certificate, verify } from 'node:crypto';

/** A JWT split and parsed, not yet trusted. */
export interface DecodedAssertion {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  /** `header.payload`, the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

// base64url without padding (RFC 7515). Salesforce answers "invalid assertion" to standard base64 ('+', '/',
// '=' padding): a classic bug when a JWT is built by hand (facts sheet: "base64 instead of base64url").
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function parseJsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Split and parse an assertion. Undefined when malformed: not three base64url parts, header or payload not a
 * JSON object, or an algorithm other than RS256 (the only one Salesforce documents for this flow).
 */
export function decodeAssertion(assertion: string): DecodedAssertion | undefined {
  const parts = assertion.split('.');
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) return undefined;
  const [headerPart, payloadPart, signaturePart] = parts;
  const header = parseJsonObject(headerPart);
  const claims = parseJsonObject(payloadPart);
  if (!header || !claims || header.alg !== 'RS256') return undefined;
  return { header, claims, signingInput: `${headerPart}.${payloadPart}`, signature: Buffer.from(signaturePart, 'base64url') };
}

/** True when the RS256 signature verifies against the public key of any of the certificates. */
export function signatureMatches(decoded: DecodedAssertion, certificates: readonly string[]): boolean {
  for (const pem of certificates) {
    try {
      const { publicKey } = new X509Certificate(pem);
      if (verify('RSA-SHA256', Buffer.from(decoded.signingInput, 'ascii'), publicKey, decoded.signature)) return true;
    } catch {
      // An unreadable certificate verifies nothing; uploadCertificate already refuses those.
    }
  }
  return false;
}

/** Throws TypeError unless `pem` holds an X.509 certificate node:crypto can read. */
export function assertCertificate(pem: string): void {
  try {
    new X509Certificate(pem);
  } catch (error) {
    throw new TypeError(`not an X.509 certificate (PEM or DER expected): ${(error as Error).message}`);
  }
}
