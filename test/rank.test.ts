import { describe, expect, it } from 'vitest';
import { classifyOAuthError } from '../src/diagnostics/classify.js';
import { entryFor, KNOWLEDGE_BASE } from '../src/diagnostics/knowledge-base.js';
import { rankCauses } from '../src/diagnostics/rank.js';
import { renderEntry } from '../src/diagnostics/render.js';
import { renderOutcome } from '../src/doctor/render-text.js';
import { createStyle } from '../src/output/style.js';
import { failureCard, failureCardLines } from '../src/wizard/failure.js';
import { UserError } from '../src/errors.js';

/** The one rule book both the doctor and the wizard's failure card use (src/diagnostics/rank.ts). */
describe('rankCauses: local evidence orders the knowledge base causes', () => {
  it('no evidence: the entry as it is, nothing added', () => {
    const ranked = rankCauses('user_not_approved', {});
    expect(ranked.code).toBe('user_not_approved');
    expect(ranked.causes).toEqual(entryFor('user_not_approved').causes);
    expect(ranked.evidence).toEqual([]);
    expect(ranked.extraFix).toEqual([]);
  });

  it('a generic invalid_grant with a mismatched local pair becomes invalid_signature, the mismatch first', () => {
    const ranked = rankCauses('invalid_grant', { keyMatchesCertificate: false });
    expect(ranked.code).toBe('invalid_signature');
    expect(ranked.entry.code).toBe('invalid_signature');
    expect(ranked.causes[0]).toMatch(/does not match/);
    expect(ranked.evidence.join(' ')).toMatch(/do not match/);
    // With a matching pair it stays invalid_grant.
    expect(rankCauses('invalid_grant', { keyMatchesCertificate: true }).code).toBe('invalid_grant');
  });

  it('unsupported_grant_type from sf-setup\'s own request: no hand-coding advice; the host and what is on the way', () => {
    const ranked = rankCauses('unsupported_grant_type', {});
    expect(ranked.evidence[0]).toMatch(/^sf-setup sent a form POST of the JWT grant/);
    expect(ranked.fix[0]).toMatch(/^Check tokenUrl/);
    expect(ranked.fix.join('\n')).not.toMatch(/^POST grant_type=/m);
    expect(ranked.causes.join('\n')).toMatch(/proxy or a redirect/);
    expect(ranked.causes.join('\n')).not.toMatch(/^The body was not/m);
  });

  it('audience_invalid with a derived audience: no "fix the audience" steps; the token URL is what to check', () => {
    const ranked = rankCauses('audience_invalid', { audienceDerived: true, tokenUrl: 'https://login.salesforce.com/services/oauth2/token' });
    expect(ranked.evidence[0]).toMatch(/^No audience is set, so sf-setup sent the one that fits the token URL \(login\.salesforce\.com\)/);
    expect(ranked.fix[0]).toMatch(/^Sandbox: tokenUrl/);
    expect(ranked.fix.join('\n')).not.toMatch(/Remove "audience"|Use the audience that matches/);
    // Set by the user: the entry's own steps.
    expect(rankCauses('audience_invalid', { audienceDerived: false }).fix).toEqual(entryFor('audience_invalid').fix);
    // The wizard always derives it: its card says the same as test and doctor (one rule, diff review).
    const card = failureCard(new UserError('audience_invalid', 'refused'), { appJustCreated: false, keyJustCreated: false });
    expect(card.fix.join('\n')).not.toMatch(/Remove "audience"|Use the audience that matches/);
  });

  it('invalid_signature with a matching pair: the app has another certificate; with a new key: upload it', () => {
    const matching = rankCauses('invalid_signature', { keyMatchesCertificate: true });
    expect(matching.evidence.join(' ')).toMatch(/another certificate uploaded/);
    // Known to match: no step says to check the pair, or to make a new one "if they do not match".
    expect(matching.fix[0]).toMatch(/^Upload the certificate made from this key/);
    expect(matching.fix.join('\n')).not.toMatch(/checks that your private key and local certificate match|do not match each other/);
    expect(rankCauses('invalid_signature', { keyJustCreated: true }).evidence.join(' ')).toMatch(/new key was made/);
  });

  it('a sandbox/production mix-up is named first for user_not_approved and audience_invalid, not for ip_restricted', () => {
    const mismatch = 'the username ends in ".uat" like a sandbox username, but the token URL is production';
    const approved = rankCauses('user_not_approved', { environmentMismatch: mismatch });
    expect(approved.causes[0]).toMatch(/username is wrong|sandbox/);
    expect(approved.causes[0]).not.toBe(entryFor('user_not_approved').causes[0]);
    expect(approved.evidence[0]).toBe(`Sandbox and production are mixed: ${mismatch}.`);
    const audience = rankCauses('audience_invalid', { environmentMismatch: mismatch });
    expect(audience.causes[0]).toMatch(/production audience/);
    expect(audience.evidence[0]).toMatch(/Sandbox and production are mixed/);
    expect(rankCauses('ip_restricted', { environmentMismatch: mismatch }).evidence).toEqual([]);
  });

  it('an app set up minutes ago puts propagation first; an old one does not', () => {
    const fresh = rankCauses('invalid_client_id', { appJustCreated: true });
    expect(fresh.causes[0]).toMatch(/minutes/);
    expect(rankCauses('invalid_client_id', { appJustCreated: false }).causes[0]).toMatch(/mistyped/);
  });

  it('invalid assertion with an expired local certificate: a new pair (rotate) first, never "upload this one"', () => {
    const ranked = rankCauses('invalid_signature', { keyMatchesCertificate: true, certificateExpiredOn: new Date('2021-01-01T00:00:00Z') });
    expect(ranked.evidence[0]).toBe('Your local certificate expired on 2021-01-01: make a new pair and upload its certificate.');
    expect(ranked.fix[0]).toMatch(/^Make a new key and certificate beside the old ones: `sf-setup rotate`/);
    expect(ranked.fix.join('\n')).not.toMatch(/Upload the certificate made from this key/);
    expect(ranked.wizardStep).toBe(1);
    expect(ranked.evidence.filter((line) => line.includes('expired'))).toHaveLength(1);
  });

  it('invalid_client_id with a key that does not start with 3MVG: the key first, no propagation wait', () => {
    const secret = rankCauses('invalid_client_id', { appJustCreated: true, clientId: 'E4B6D0C1F2A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D' });
    expect(secret.evidence.join(' ')).toMatch(/does not start with 3MVG.*Consumer Secret/);
    expect(secret.causes[0]).toMatch(/mistyped/);
    expect(secret.propagating).toBe(false);
    expect(rankCauses('invalid_client_id', { appJustCreated: true, clientId: '3MVG9abc' }).propagating).toBe(true);
  });

  it('an expired local certificate and a skewed clock are named', () => {
    expect(rankCauses('invalid_grant', { certificateExpiredOn: new Date('2025-01-31T00:00:00Z') }).evidence).toContain('Your local certificate expired on 2025-01-31.');
    expect(rankCauses('assertion_expired', { clockSkewSeconds: 200 }).evidence.join(' ')).toMatch(/clock is 200 s behind the token host's/);
    // A clock ahead makes exp later: it cannot explain an expired assertion.
    expect(rankCauses('assertion_expired', { clockSkewSeconds: -200 }).evidence).toEqual([]);
    expect(rankCauses('assertion_expired', { clockSkewSeconds: 30 }).evidence).toEqual([]);
  });

  it('user_not_approved gets the authorize URL for this app and host', () => {
    const ranked = rankCauses('user_not_approved', { tokenUrl: 'https://test.salesforce.com/services/oauth2/token', clientId: '3MVG9 key+/=', username: 'me@acme.com.uat' });
    expect(ranked.extraFix).toHaveLength(1);
    expect(ranked.extraFix[0]).toContain('https://test.salesforce.com/services/oauth2/authorize?response_type=code&client_id=3MVG9%20key%2B%2F%3D&redirect_uri=');
    expect(ranked.extraFix[0]).toContain('me@acme.com.uat');
    // No consumer key known: no URL (it would be wrong).
    expect(rankCauses('user_not_approved', { tokenUrl: 'https://test.salesforce.com/services/oauth2/token' }).extraFix).toEqual([]);
  });

  it('ip_restricted names the configured egress addresses, or says how to learn them', () => {
    expect(rankCauses('ip_restricted', { egressIps: ['203.0.113.7', '198.51.100.2'] }).extraFix[0]).toMatch(/203\.0\.113\.7, 198\.51\.100\.2/);
    expect(rankCauses('ip_restricted', {}).extraFix[0]).toMatch(/--detect-ip/);
    expect(rankCauses('ip_restricted', { detectsIp: true }).extraFix).toEqual([]);
  });

  it('an External Client App behind login.salesforce.com: said for audience_invalid, its cause first for app_not_installed', () => {
    const known = { appType: 'external_client_app', tokenUrl: 'https://login.salesforce.com/services/oauth2/token' } as const;
    const audience = rankCauses('audience_invalid', known);
    expect(audience.evidence.join(' ')).toMatch(/External Client App/);
    const installed = rankCauses('app_not_installed', known);
    expect(installed.causes[0]).toMatch(/External Client App was called through login\.salesforce\.com/);
    expect(entryFor('app_not_installed').causes[0]).toMatch(/Connected App/);
    expect(rankCauses('app_not_installed', { ...known, tokenUrl: 'https://acme.my.salesforce.com/services/oauth2/token' }).evidence).toEqual([]);
  });

  it('the entry as classify read it (a variant) is kept unless the evidence changes the code', () => {
    const classified = classifyOAuthError({ error: 'invalid_grant', error_description: 'External client app is not installed in this org' }).entry;
    const ranked = rankCauses('app_not_installed', {}, classified);
    expect(ranked.causes[0]).toMatch(/External Client App/);
    expect(ranked.entry.confidence).toBe('medium');
    const generic = classifyOAuthError({ error: 'invalid_grant', error_description: 'authentication failure' }).entry;
    expect(rankCauses('invalid_grant', { keyMatchesCertificate: false }, generic).entry.code).toBe('invalid_signature');
  });
});

describe('one knowledge base: what propagates and how sure it is, read by every front end', () => {
  it("the app minutes old: the propagation evidence for exactly the entries the knowledge base marks, with the joined fix", () => {
    for (const entry of KNOWLEDGE_BASE) {
      const ranked = rankCauses(entry.code, { appJustCreated: true });
      if (ranked.code !== entry.code) continue; // none today, but a rewritten code has its own entry
      expect(ranked.propagating, entry.code).toBe(Boolean(entry.propagates));
      expect(ranked.evidence.some((line) => /2-10 minutes/.test(line)), entry.code).toBe(Boolean(entry.propagates));
      expect(rankCauses(entry.code, {}).propagating, entry.code).toBe(false);
    }
    // api_scope_missing is marked in the knowledge base; rank.ts used to keep its own list, without it.
    expect(rankCauses('api_scope_missing', { appJustCreated: true }).propagating).toBe(true);
    const approve = rankCauses('user_not_approved', { tokenUrl: 'https://login.salesforce.com/services/oauth2/token', clientId: 'abc' });
    expect(approve.fix).toEqual([...entryFor('user_not_approved').fix, ...approve.extraFix]);
    expect(approve.fix.at(-1)).toMatch(/Authorize URL/);
  });

  it("the wizard offers its 30-second retries for every propagating failure of a new app, and for no other", () => {
    const card = (code: string, appJustCreated: boolean) => failureCard(new UserError(code, 'refused'), { appJustCreated, keyJustCreated: false });
    // The wizard had its own list (invalid_client_id, user_not_approved) and left these two out.
    expect(card('user_not_assigned', true).autoRetry).toBe(true);
    expect(card('scope_missing', true).autoRetry).toBe(true);
    expect(card('invalid_client_id', true).autoRetry).toBe(true);
    expect(card('user_not_assigned', false).autoRetry).toBe(false);
    expect(card('invalid_signature', true).autoRetry).toBe(false);
    expect(card('ip_restricted', true).autoRetry).toBe(false);
  });

  it('explain, the doctor and the wizard head the causes alike: "likely" exactly when the entry is less than certain', () => {
    const style = createStyle(false);
    const sure = KNOWLEDGE_BASE.find((entry) => entry.confidence === 'high')!;
    const unsure = KNOWLEDGE_BASE.find((entry) => entry.confidence !== 'high')!;
    for (const [entry, heading] of [
      [sure, 'Causes, most likely first:'],
      [unsure, 'Likely causes, most likely first (Salesforce does not say for certain):'],
    ] as const) {
      const explained = renderEntry({ entry }, style);
      const ranked = rankCauses(entry.code, {});
      const doctored = renderOutcome({ id: 'token', title: 'Token request', status: 'fail', detail: 'refused', code: entry.code, causes: ranked.causes, hedged: ranked.hedged, fix: ranked.fix }, style, false);
      const carded = failureCardLines(failureCard(new UserError(entry.code, 'refused'), { appJustCreated: false, keyJustCreated: false }), style).join('\n');
      for (const text of [explained, doctored, carded]) {
        const lines = text.split('\n').map((line) => line.trim());
        const at = lines.indexOf(heading);
        expect(at, `${entry.code}:\n${text}`).toBeGreaterThan(0);
        expect(lines[at + 1]).toBe(`• ${entry.causes[0]}`);
        expect(lines.filter((line) => /causes/i.test(line) && line.endsWith(':'))).toEqual([heading]);
      }
    }
  });
});
