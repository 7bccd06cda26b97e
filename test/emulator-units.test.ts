import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appAccess, insideIpRanges, normalizeAddress, withinLoginHours } from '../src/emulator/access.js';
import { DEFAULT_ORG_ID, DEFAULT_USER_ID, toId18 } from '../src/emulator/index.js';
import { decodeAssertion } from '../src/emulator/jwt-verify.js';
import { selfSignedCertificate } from '../src/emulator/self-signed.js';
import { healthyState, releaseLabel } from '../src/emulator/state.js';

describe('emulator building blocks', () => {
  it('toId18 computes the case-safe suffix', () => {
    expect(toId18('00D000000000062')).toBe('00D000000000062EAA');
    expect(toId18('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    expect(DEFAULT_ORG_ID).toMatch(/^00D[A-Za-z0-9]{15}$/);
    expect(DEFAULT_USER_ID).toMatch(/^005[A-Za-z0-9]{15}$/);
    expect(() => toId18('short')).toThrow(TypeError);
  });

  it('release labels follow three releases a year', () => {
    expect(releaseLabel(20)).toBe("Winter '11");
    expect(releaseLabel(59)).toBe("Winter '24");
    expect(releaseLabel(60)).toBe("Spring '24");
    expect(releaseLabel(61)).toBe("Summer '24");
    expect(releaseLabel(66)).toBe("Spring '26");
  });

  it('IP ranges: inclusive IPv4, IPv4-mapped addresses normalized, IPv6 outside any range', () => {
    expect(normalizeAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(insideIpRanges('127.0.0.1', [])).toBe(true);
    const ranges = [{ start: '10.0.0.0', end: '10.0.0.255' }];
    expect(insideIpRanges('10.0.0.0', ranges)).toBe(true);
    expect(insideIpRanges('10.0.0.255', ranges)).toBe(true);
    expect(insideIpRanges('10.0.1.0', ranges)).toBe(false);
    expect(insideIpRanges('::1', ranges)).toBe(false);
  });

  it('login hours: a window may wrap midnight; start = end allows nothing', () => {
    expect(withinLoginHours(5, null)).toBe(true);
    expect(withinLoginHours(9, { startHour: 9, endHour: 17 })).toBe(true);
    expect(withinLoginHours(17, { startHour: 9, endHour: 17 })).toBe(false);
    expect(withinLoginHours(23, { startHour: 22, endHour: 6 })).toBe(true);
    expect(withinLoginHours(3, { startHour: 22, endHour: 6 })).toBe(true);
    expect(withinLoginHours(12, { startHour: 22, endHour: 6 })).toBe(false);
    expect(withinLoginHours(12, { startHour: 12, endHour: 12 })).toBe(false);
  });

  it('app access follows the Permitted Users policy', () => {
    const state = healthyState({}, 'http://127.0.0.1:1');
    const [app] = state.apps;
    const [user] = state.users;
    expect(appAccess(app, user)).toBe('ok');
    app.preAuthorizedProfiles = [];
    expect(appAccess(app, user)).toBe('not_assigned');
    app.preAuthorizedPermissionSets = [...user.permissionSets];
    expect(appAccess(app, user)).toBe('ok');
    app.permittedUsers = 'self_authorize';
    expect(appAccess(app, user)).toBe('not_approved');
    user.approvedApps.push(app.clientId);
    expect(appAccess(app, user)).toBe('ok');
  });

  it('decodeAssertion refuses padding, non-RS256 and non-object payloads', () => {
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    expect(decodeAssertion(`${part({ alg: 'RS256' })}.${part({ a: 1 })}.c2ln`)?.claims).toEqual({ a: 1 });
    expect(decodeAssertion(`${part({ alg: 'RS256' })}.${part({ a: 1 })}.c2ln=`)).toBeUndefined();
    expect(decodeAssertion(`${part({ alg: 'RS256' })}.${part([1, 2])}.c2ln`)).toBeUndefined();
    expect(decodeAssertion(`${part({ alg: 'HS256' })}.${part({ a: 1 })}.c2ln`)).toBeUndefined();
    expect(decodeAssertion(`${part({ alg: 'RS256' })}.${part({ a: 1 })}.`)).toBeUndefined();
  });

  it('the self-signed certificate built with node:crypto alone is a valid X.509 certificate', () => {
    const { certificatePem, privateKey } = selfSignedCertificate('Someone Else', { days: 10 });
    const certificate = new X509Certificate(certificatePem);
    expect(certificate.subject).toBe('CN=Someone Else');
    expect(certificate.checkPrivateKey(privateKey)).toBe(true);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(Date.parse(certificate.validTo) - Date.now()).toBeGreaterThan(9 * 86_400_000);
  });
});
