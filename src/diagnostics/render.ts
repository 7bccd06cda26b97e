import type { Style } from '../output/style.js';
import { wrapLines } from '../output/wrap.js';
import type { Classification } from './classify.js';
import { causesHeading, type KnowledgeEntry } from './knowledge-base.js';

/** The machine-readable form of an entry (`--json` of explain, test and doctor). */
export interface EntryJson {
  code: string;
  title: string;
  summary: string;
  causes: string[];
  fix: string[];
  confidence: KnowledgeEntry['confidence'];
}

export function entryToJson(entry: KnowledgeEntry): EntryJson {
  return {
    code: entry.code,
    title: entry.title,
    summary: entry.summary,
    causes: [...entry.causes],
    fix: [...entry.fix],
    confidence: entry.confidence,
  };
}

/**
 * Plain-text card for an entry: title, Salesforce's words, what happened, causes, numbered fix; wrapped to
 * `width` columns when given. Used by
 * `explain` and `test`, which have no local evidence to rank with (the doctor's checks rank the causes and
 * render through doctor/render-text.ts; the wizard's card through wizard/failure.ts).
 */
export function renderEntry(classification: Classification, style: Style, width?: number): string {
  const { entry } = classification;
  const lines: string[] = [];
  lines.push(`${style.red('✗')} ${style.bold(entry.title)} ${style.dim(`[${entry.code}]`)}`);
  if (classification.error || classification.errorDescription) {
    const words = [classification.error, classification.errorDescription].filter(Boolean).join(': ');
    lines.push(`  Salesforce said: ${words}`);
  }
  // From the error value alone, the entry is that error's most common case, not what Salesforce said.
  if (classification.errorOnly) lines.push(`  With no description, "${classification.error}" most often means this:`);
  // The user's own words are quoted as theirs, and the reading is hedged.
  if (classification.loose !== undefined) {
    lines.push(`  You pasted: ${classification.loose}`, "  That is not Salesforce's exact wording; it reads like this answer:");
  }
  if (classification.alsoFound?.length) {
    const named = classification.alsoFound.map((other) => `${other.title.replace(/\.$/, '')} [${other.code}]`).join('; ');
    lines.push(`  Earlier in the text: ${named}.`, '  This is for the last error; explain the earlier lines alone for theirs.');
  }
  lines.push(`  ${entry.summary}`);
  lines.push('', `  ${causesHeading(classification.errorOnly || classification.loose !== undefined || entry.confidence !== 'high')}`);
  for (const cause of entry.causes) lines.push(`  • ${cause}`);
  lines.push('', '  Fix:');
  entry.fix.forEach((step, index) => lines.push(`  ${index + 1}. ${step}`));
  // At a terminal, wrapped at spaces with continuation lines indented (the terminal's own wrap breaks words).
  return wrapLines(lines, width);
}
