/**
 * Which hosts may receive the signed assertion. The assertion logs in as the user for three minutes, so it
 * goes only to Salesforce's own domains (or loopback, for the emulated org) unless the user says otherwise.
 */

// Salesforce's login and My Domain families, including Government Cloud (.mil, salesforce-gov) and the
// China instance run with Alibaba (sfcrmapps.cn / sfcrmproducts.cn).
const SALESFORCE_SUFFIXES = [
  'salesforce.com',
  'force.com',
  'site.com',
  'cloudforce.com',
  'salesforce.mil',
  'force.mil',
  'salesforce-gov.com',
  'sfcrmapps.cn',
  'sfcrmproducts.cn',
];

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

export function isTrustedSalesforceHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return isLoopbackHost(h) || SALESFORCE_SUFFIXES.some((suffix) => h === suffix || h.endsWith(`.${suffix}`));
}

export type TokenHostKind = 'production' | 'sandbox' | 'mydomain' | 'site' | 'loopback' | 'untrusted' | 'lightning';

/** What a token URL's host is: login/test, a My Domain, an Experience Cloud site, the emulator, or other. */
export function classifyTokenHost(url: string): TokenHostKind {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return 'untrusted';
  }
  if (host === 'login.salesforce.com') return 'production';
  if (host === 'test.salesforce.com') return 'sandbox';
  if (host.endsWith('.lightning.force.com')) return 'lightning';
  if (isLoopbackHost(host)) return 'loopback';
  if (!isTrustedSalesforceHost(host)) return 'untrusted';
  if (host.endsWith('.my.salesforce.com') || host.endsWith('.my.salesforce.mil') || host.endsWith('.my.sfcrmproducts.cn')) return 'mydomain';
  if (host.endsWith('.my.site.com') || host.endsWith('.force.com') || host.endsWith('.site.com')) return 'site';
  return 'mydomain';
}

/** The JWT `aud` for a token URL: login -> https://login.salesforce.com, test -> https://test.salesforce.com, else its origin. */
export function deriveAudience(tokenUrl: string): string {
  const kind = classifyTokenHost(tokenUrl);
  if (kind === 'production') return 'https://login.salesforce.com';
  if (kind === 'sandbox') return 'https://test.salesforce.com';
  try {
    const url = new URL(tokenUrl);
    // An Experience Cloud site's audience is the site URL, its path included (https://acme.my.site.com/partners).
    const sitePath = kind === 'site' ? url.pathname.replace(/\/+$/, '').replace(/\/services\/oauth2\/token$/, '') : '';
    return url.origin + sitePath;
  } catch {
    return tokenUrl;
  }
}
