import { describe, expect, it } from 'vitest';
import { DEFAULT_SUBJECT, formatSubject, parseSubject } from '../src/keys/index.js';
import { userErrorOf } from './keys-fixtures.js';

describe('parseSubject', () => {
  const full = { C: 'US', ST: 'California', L: 'San Francisco', O: 'Acme', OU: 'IT', CN: 'acme.com', emailAddress: 'a@b.c' };

  it('reads the comma form', () => {
    expect(parseSubject('C=US,ST=California,L=San Francisco,O=Acme,OU=IT,CN=acme.com,emailAddress=a@b.c')).toEqual(full);
  });

  it("reads openssl's slash form", () => {
    expect(parseSubject('/C=US/ST=California/L=San Francisco/O=Acme/OU=IT/CN=acme.com/emailAddress=a@b.c')).toEqual(full);
  });

  it('trims spaces around names and values, and accepts aliases in any case', () => {
    expect(parseSubject(' cn = acme.com , o=Acme, E=a@b.c, countryName=us ')).toEqual({ CN: 'acme.com', O: 'Acme', emailAddress: 'a@b.c', C: 'US' });
    expect(parseSubject('commonName=x,organizationalUnitName=y,localityName=z,stateOrProvinceName=w,email=q@r.s')).toEqual({
      CN: 'x',
      OU: 'y',
      L: 'z',
      ST: 'w',
      emailAddress: 'q@r.s',
    });
  });

  it('honours backslash escapes for the separator and "="', () => {
    expect(parseSubject('O=Acme\\, Inc.,CN=a\\=b')).toEqual({ O: 'Acme, Inc.', CN: 'a=b' });
    expect(parseSubject('/O=A\\/B/CN=x, y')).toEqual({ O: 'A/B', CN: 'x, y' });
  });

  it('keeps "=" inside a value', () => {
    expect(parseSubject('CN=a=b')).toEqual({ CN: 'a=b' });
  });

  it('leaves out empty values and empty parts', () => {
    expect(parseSubject('C=US,,OU=,CN=x,')).toEqual({ C: 'US', CN: 'x' });
    expect(parseSubject('')).toEqual({});
    expect(parseSubject('   ')).toEqual({});
  });

  it('can be merged over the defaults (what keygen does)', () => {
    expect({ ...DEFAULT_SUBJECT, ...parseSubject('CN=acme.com') }).toMatchObject({ C: 'US', CN: 'acme.com', O: 'Your Company' });
  });

  it.each([
    ['X=1', /unknown certificate subject attribute "X"/],
    ['CN=a,cn=b', /CN is given twice/],
    ['CN', /is not NAME=value/],
    ['C=USA', /two-letter code/],
    ['C=1A', /two-letter code/],
    ['emailAddress=bé@x.io', /plain ASCII/],
    [`CN=${'x'.repeat(65)}`, /65 characters; X.509 allows at most 64/],
    ['CN=a\u0001b', /control character/],
  ])('refuses %j with cert_invalid', (text, message) => {
    const error = userErrorOf(() => parseSubject(text));
    expect(error.code).toBe('cert_invalid');
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
    expect(error.fix).toContain('C=US,ST=California');
  });
});

describe('formatSubject', () => {
  it('round-trips through parseSubject, escaping commas', () => {
    const subject = { C: 'DE', O: 'Acme, Inc.', CN: 'back\\slash' };
    expect(formatSubject(subject)).toBe('C=DE, O=Acme\\, Inc., CN=back\\\\slash');
    expect(parseSubject(formatSubject(subject))).toEqual(subject);
    expect(parseSubject(formatSubject(DEFAULT_SUBJECT))).toEqual(DEFAULT_SUBJECT);
  });
});
