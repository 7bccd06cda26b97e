import { shownPath } from '../output/paths.js';
import { classifyText } from '../diagnostics/classify.js';
import { causesHeading, findEntry, type KnowledgeEntry, type WizardStep } from '../diagnostics/knowledge-base.js';
import { rankCauses } from '../diagnostics/rank.js';
import { isUserError } from '../errors.js';
import { environmentMismatch } from '../salesforce/environment.js';
import { SalesforceError } from '../salesforce/token.js';
import type { AppType } from './checklist.js';
import type { WizardData } from './controller.js';
import type { KeyFacts } from './progress.js';

/** The one heading over causes, for the Ink card (screens import the wizard's barrel only). */
export { causesHeading };

/** What the wizard knows when the token test fails: it ranks the knowledge base's causes with it. */
export interface WizardKnowledge {
  /** Step 2 was done in this run (the app is minutes old, so propagation is the likeliest cause). */
  appJustCreated: boolean;
  /** Step 1 made a new key in this run (its certificate must be the one uploaded). */
  keyJustCreated: boolean;
  appType?: AppType;
  tokenUrl?: string;
  clientId?: string;
  username?: string;
  keys?: KeyFacts;
  /** The folder the wizard runs in: paths in the card are shown from it. */
  cwd?: string;
}

/** What the wizard's data so far tells about a failure (both front ends build the card from it). */
export function knowledgeFrom(data: WizardData, cwd?: string): WizardKnowledge {
  return {
    cwd,
    appJustCreated: Boolean(data.appJustCreated),
    keyJustCreated: Boolean(data.keyJustCreated),
    appType: data.appType,
    tokenUrl: data.config?.tokenUrl,
    clientId: data.config?.clientId,
    username: data.config?.username,
    keys: data.keys,
  };
}

/** The failure card of step 4: one knowledge-base entry, its causes ranked for this situation. */
export interface FailureCard {
  code: string;
  title: string;
  /** Salesforce's own words, or our one-line message. */
  said: string;
  /** Who said it: Salesforce (its error body), or sf-setup (a network failure, a local problem). */
  saidBy: 'salesforce' | 'sf-setup';
  summary: string;
  /** Facts from this run that point at a cause ("you created the app a minute ago"). */
  evidence: string[];
  /** Most likely first, given the evidence. */
  causes: string[];
  fix: string[];
  /** True when the entry is less than certain: say "likely". */
  hedged: boolean;
  /** The step that fixes it, to offer "go back to step N". */
  fixStep?: WizardStep;
  /** Offer to retry every 30 s for up to 10 minutes (Salesforce propagates app changes in 2-10 min). */
  autoRetry: boolean;
  /** Not a known failure: a bug in sf-setup. */
  bug?: boolean;
}

/** Build the card for an error thrown by the token test. */
export function failureCard(error: unknown, known: WizardKnowledge): FailureCard {
  if (!isUserError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      code: 'bug',
      title: 'sf-setup hit an unexpected error (a bug)',
      said: message,
      saidBy: 'sf-setup',
      summary: 'This is not a Salesforce answer; please report it with the output of `sf-setup --version`.',
      evidence: [],
      causes: [],
      fix: ['Run `sf-setup doctor` for a full check.', 'Set SF_SETUP_DEBUG=1 and report the output.'],
      hedged: false,
      autoRetry: false,
      bug: true,
    };
  }
  const entry: KnowledgeEntry | undefined =
    error instanceof SalesforceError ? error.classification.entry : findEntry(error.code) ?? classifyText(error.code)?.entry;
  const fromSalesforce = error instanceof SalesforceError && Boolean(error.classification.error || error.classification.errorDescription);
  const said = fromSalesforce ? [error.classification.error, error.classification.errorDescription].filter(Boolean).join(': ') : error.message;
  const saidBy = fromSalesforce ? 'salesforce' : 'sf-setup';
  if (!entry) {
    return { code: error.code, title: error.message, said, saidBy, summary: '', evidence: [], causes: [], fix: error.fix ? [error.fix] : [], hedged: false, fixStep: undefined, autoRetry: false };
  }
  const ranked = rankCauses(entry.code, {
    certificateFile: known.keys?.certificatePath ? shownPath(known.cwd, known.keys.certificatePath) : undefined,
    keyMatchesCertificate: known.keys?.matches,
    keyJustCreated: known.keyJustCreated,
    appJustCreated: known.appJustCreated,
    certificateExpiredOn: known.keys?.expired ? known.keys.notAfter : undefined,
    environmentMismatch: known.tokenUrl && known.username ? environmentMismatch(known.tokenUrl, known.username) : null,
    appType: known.appType,
    // The wizard's audience is always the one its environment answer gives (configValues).
    audienceDerived: true,
    tokenUrl: known.tokenUrl,
    clientId: known.clientId,
    username: known.username,
  }, entry);
  const code = ranked.code;
  return {
    code,
    title: ranked.entry.title,
    said,
    saidBy,
    summary: ranked.entry.summary,
    evidence: ranked.evidence,
    causes: ranked.causes,
    fix: ranked.fix,
    hedged: ranked.hedged,
    fixStep: ranked.wizardStep,
    autoRetry: ranked.propagating,
  };
}

/** The label before the card's words: Salesforce's answer, or what sf-setup saw (no answer came). */
export function saidLabel(card: Pick<FailureCard, 'saidBy'>): string {
  return card.saidBy === 'salesforce' ? 'Salesforce said:' : 'What happened:';
}

/** Auto-retry every 30 s for up to 10 minutes: Salesforce's 2-10 minute propagation window. */
export const AUTO_RETRY = { intervalMs: 30_000, maxMs: 10 * 60_000 } as const;

/** The card as plain text lines (the plain front end; the Ink one renders the same fields). */
export function failureCardLines(card: FailureCard, style: { red(s: string): string; yellow(s: string): string; bold(s: string): string; dim(s: string): string }): string[] {
  const lines = [`${style.red('✗')} ${style.bold(card.title)} ${style.dim(`[${card.code}]`)}`, `  ${saidLabel(card)} ${card.said}`];
  if (card.summary) lines.push(`  ${card.summary}`);
  for (const e of card.evidence) lines.push(`  ${style.yellow('!')} ${e}`);
  if (card.causes.length) {
    lines.push('', `  ${causesHeading(card.hedged)}`);
    for (const c of card.causes) lines.push(`  • ${c}`);
  }
  if (card.fix.length) {
    lines.push('', '  Fix:');
    card.fix.forEach((step, i) => lines.push(`  ${i + 1}. ${step}`));
  }
  return lines;
}
