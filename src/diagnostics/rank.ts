import { entryFor, promoteMatching, type KnowledgeEntry } from './knowledge-base.js';
import { CALLBACK_URL } from '../salesforce/environment.js';

/**
 * Ranking a failure's causes with what is known locally: the one rule book for every front end (the doctor's
 * token check, the wizard's failure card in Ink and in --plain). The knowledge base says what a Salesforce
 * answer can mean; the local evidence says which meaning is likeliest here, and why.
 */

/** More than this apart is a warning; assertions live 180 s, so past 150 s they arrive nearly expired. */
export const CLOCK_WARN_SECONDS = 60;
export const CLOCK_FAIL_SECONDS = 150;

/** What a front end knows when a token request fails. Every field is optional: each adds evidence. */
export interface LocalEvidence {
  /** The certificate to upload, as the user should see its path (the knowledge base names certs/server.crt). */
  certificateFile?: string;
  /** The private key and the local certificate belong together (false: they do not). */
  keyMatchesCertificate?: boolean;
  /** A new key was made in this run, so the app must have its new certificate (the wizard knows this). */
  keyJustCreated?: boolean;
  /** The app was set up minutes ago, so Salesforce may still be applying it (the wizard knows this). */
  appJustCreated?: boolean;
  /** The local certificate's end date, when it has passed. */
  certificateExpiredOn?: Date;
  /** A sandbox/production mix-up found in the settings (see salesforce/environment.ts), or null. */
  environmentMismatch?: string | null;
  /** Local clock minus the token host's, in seconds. */
  clockSkewSeconds?: number;
  appType?: 'connected_app' | 'external_client_app';
  tokenUrl?: string;
  clientId?: string;
  username?: string;
  /** The addresses the config says the tool runs from. */
  egressIps?: readonly string[];
  /** The front end will learn this machine's public address itself (the doctor's --detect-ip). */
  detectsIp?: boolean;
  /** No audience was set: sf-setup derived it from the token URL (so the aud fits the URL's kind of host). */
  audienceDerived?: boolean;
}

export interface RankedFailure {
  /** The code after evidence: a generic invalid_grant with a mismatched key pair is invalid_signature. */
  code: string;
  entry: KnowledgeEntry;
  /** The entry's causes, those the evidence points at first. */
  causes: string[];
  /** Facts from this machine that decided the order, one sentence each. */
  evidence: string[];
  /** Steps beyond the entry's fix that only this situation has (the authorize URL, the addresses to allow). */
  extraFix: string[];
  /** The steps to show: the entry's fix, then extraFix. */
  fix: string[];
  /** The entry is less than certain (confidence below high): say "likely" (causesHeading). */
  hedged: boolean;
  /** The app was set up minutes ago and this failure is one Salesforce's 2-10 minute propagation can cause. */
  propagating: boolean;
  /** The wizard step that fixes it here (the entry's, unless the evidence points at another). */
  wizardStep?: KnowledgeEntry['wizardStep'];
}

const ENVIRONMENT_CODES = new Set(['user_not_approved', 'invalid_client_id', 'user_not_assigned', 'scope_missing', 'audience_invalid', 'invalid_grant']);

/**
 * Rank the causes of the knowledge-base entry `code` with the local evidence. `classified` is the entry as
 * classify read Salesforce's words (a variant's order), used when the evidence does not change the code.
 */
export function rankCauses(code: string, known: LocalEvidence, classified?: KnowledgeEntry): RankedFailure {
  // A generic invalid_grant while the key does not match the certificate is almost surely the signature.
  const finalCode = code === 'invalid_grant' && known.keyMatchesCertificate === false ? 'invalid_signature' : code;
  const entry = classified?.code === finalCode ? classified : entryFor(finalCode);
  let causes = [...entry.causes];
  let wizardStep = entry.wizardStep;
  const evidence: string[] = [];
  const extraFix: string[] = [];
  const promote = (pattern: RegExp) => {
    causes = promoteMatching(causes, pattern);
  };

  // After a rotation (or with a custom path) the certificate to upload is not certs/server.crt.
  let fix = entry.fix.map((step) => (known.certificateFile ? step.split('(certs/server.crt)').join(`(${known.certificateFile})`) : step));
  if (finalCode === 'invalid_signature') {
    if (known.keyMatchesCertificate === false) {
      evidence.push('Your private key and your local certificate do not match.');
      promote(/does not match/i);
      // The local certificate is not this key's, so "upload the certificate made from this key" has no file
      // to name: a new pair, uploaded, is the fix.
      fix = promoteMatching(fix, /generate a new pair/i).filter((step) => !/^Upload the certificate made from this key/.test(step));
    } else if (known.certificateExpiredOn) {
      // The local certificate is past its end: uploading it again is no fix. A new pair is (`sf-setup rotate`).
      evidence.push(`Your local certificate expired on ${known.certificateExpiredOn.toISOString().slice(0, 10)}: make a new pair and upload its certificate.`);
      promote(/does not match/i);
      fix = [
        'Make a new key and certificate beside the old ones: `sf-setup rotate` (it prints the upload steps, then `sf-setup rotate --switch` tests the new key and switches the config).',
        ...fix.filter((step) => !/^Upload the certificate made from this key/.test(step) && !/generate a new pair/i.test(step)),
      ];
      wizardStep = 1;
    } else if (known.keyJustCreated) {
      evidence.push('A new key was made in this run: the app must have its new certificate.');
      promote(/uploaded/i);
      wizardStep = 2; // the upload is in the app step, not a new pair
    } else if (known.keyMatchesCertificate === true) {
      evidence.push('Your key matches your local certificate, so the app most likely has another certificate uploaded: upload this one.');
      promote(/uploaded/i);
      // Known to match: the steps that check the pair, or make a new one if it does not match, are moot.
      fix = fix.filter((step) => !/checks that your private key and local certificate match/.test(step) && !/^If the key and certificate do not match/.test(step));
      wizardStep = 2;
    }
  }
  if (known.certificateExpiredOn && !evidence.some((line) => line.startsWith('Your local certificate expired'))) {
    evidence.push(`Your local certificate expired on ${known.certificateExpiredOn.toISOString().slice(0, 10)}.`);
  }
  // A Consumer Key starts with 3MVG: anything else is most likely another value pasted (often the Secret).
  const wrongKey = finalCode === 'invalid_client_id' && Boolean(known.clientId) && !/^3MVG/.test(known.clientId ?? '');
  if (wrongKey) {
    evidence.push('Your Consumer Key does not start with 3MVG, as Consumer Keys do: another value was most likely pasted (often the Consumer Secret).');
    promote(/mistyped/i);
  }
  if (known.environmentMismatch && ENVIRONMENT_CODES.has(finalCode)) {
    evidence.push(`Sandbox and production are mixed: ${known.environmentMismatch}.`);
    promote(/username|sandbox|production|another org|wrong host/i);
  }
  // A derived aud always fits the token URL's kind of host: "audience is invalid" then means the token URL
  // is for the wrong kind of org (a sandbox's user sent to production, another My Domain), not the aud.
  if (finalCode === 'audience_invalid' && known.audienceDerived) {
    evidence.push(`No audience is set, so sf-setup sent the one that fits the token URL${known.tokenUrl ? ` (${hostOf(known.tokenUrl)})` : ''}: check that the token URL is the user's org (a sandbox user logs in at test.salesforce.com or the sandbox's My Domain).`);
    fix = promoteMatching(fix, /^Sandbox: tokenUrl/).filter((step) => !/^Use the audience that matches|^Remove "audience"/.test(step));
    wizardStep = 3;
  }
  // Every ranked failure is a request sf-setup made itself, and it always POSTs the JWT grant as a form: the
  // request was changed on the way, or went to the wrong host.
  if (finalCode === 'unsupported_grant_type') {
    evidence.push('sf-setup sent a form POST of the JWT grant (and follows no redirect): it was changed on the way (a proxy) or went to the wrong host.');
    causes = causes.filter((cause) => !/^The body was not/.test(cause));
    fix = fix.filter((step) => !/^POST grant_type=/.test(step));
  }
  const propagating = Boolean(known.appJustCreated && entry.propagates) && !wrongKey;
  if (propagating) {
    evidence.push('You set up the app minutes ago: Salesforce takes 2-10 minutes to apply it.');
    promote(/minutes|propagat/i);
  }
  if (
    (finalCode === 'audience_invalid' || finalCode === 'app_not_installed') &&
    known.appType === 'external_client_app' &&
    known.tokenUrl &&
    !/my\.salesforce|127\.0\.0\.1|localhost/.test(known.tokenUrl)
  ) {
    evidence.push('You chose an External Client App: it logs in through your My Domain, not login/test.salesforce.com.');
    promote(/External Client App.*My Domain/);
  }
  // Only a clock behind makes an assertion arrive expired; one ahead makes exp later.
  if (finalCode === 'assertion_expired' && known.clockSkewSeconds !== undefined && known.clockSkewSeconds > CLOCK_WARN_SECONDS) {
    evidence.push(`This machine's clock is ${known.clockSkewSeconds} s behind the token host's.`);
  }
  if (finalCode === 'user_not_approved' && known.tokenUrl && known.clientId) {
    const url = `${new URL(known.tokenUrl).origin}/services/oauth2/authorize?response_type=code&client_id=${encodeURIComponent(known.clientId)}&redirect_uri=${encodeURIComponent(CALLBACK_URL)}`;
    extraFix.push(`Authorize URL (open it logged in as ${known.username ?? 'the user'}, click Allow): ${url}`);
  }
  if (finalCode === 'ip_restricted') {
    const ips = known.egressIps ?? [];
    if (ips.length) extraFix.push(`Your config lists these addresses; add each as its own range (start = end): ${ips.join(', ')}.`);
    else if (!known.detectsIp) extraFix.push('List the addresses in the config ("egressIps": ["203.0.113.7", ...]) so this advice can name them, or run `sf-setup doctor --detect-ip` to learn this machine\'s public address.');
  }
  return { code: finalCode, entry, causes, evidence, extraFix, fix: [...fix, ...extraFix], hedged: entry.confidence !== 'high', propagating, wizardStep };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
