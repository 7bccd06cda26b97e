import type { Style } from '../output/style.js';
import type { Classification } from './classify.js';
import type { KnowledgeEntry } from './knowledge-base.js';

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

export interface RenderEntryOptions {
  /** Causes reordered by local evidence (doctor); defaults to the entry's own ranking. */
  causes?: string[];
  /** Extra lines of evidence, shown before the causes ("Your key and certificate do not match"). */
  evidence?: string[];
  /** Extra fix steps specific to this run (e.g. the authorize URL), appended to the entry's. */
  extraFix?: string[];
  indent?: string;
}

/**
 * Plain-text card for an entry: title, Salesforce's words, what happened, likely causes, numbered fix.
 * Used by `test`, `explain`, the doctor's text output and (through Markdown) the report.
 */
export function renderEntry(classification: Classification, style: Style, options: RenderEntryOptions = {}): string {
  const { entry } = classification;
  const indent = options.indent ?? '';
  const lines: string[] = [];
  lines.push(`${indent}${style.red('✗')} ${style.bold(entry.title)} ${style.dim(`[${entry.code}]`)}`);
  if (classification.error || classification.errorDescription) {
    const words = [classification.error, classification.errorDescription].filter(Boolean).join(': ');
    lines.push(`${indent}  Salesforce said: ${words}`);
  }
  lines.push(`${indent}  ${entry.summary}`);
  for (const line of options.evidence ?? []) lines.push(`${indent}  ${style.yellow('→')} ${line}`);
  const causes = options.causes ?? entry.causes;
  const hedge = entry.confidence === 'high' ? 'Causes, most likely first:' : 'Likely causes (Salesforce does not say for certain):';
  lines.push('', `${indent}  ${hedge}`);
  for (const cause of causes) lines.push(`${indent}  • ${cause}`);
  lines.push('', `${indent}  Fix:`);
  [...entry.fix, ...(options.extraFix ?? [])].forEach((step, index) => lines.push(`${indent}  ${index + 1}. ${step}`));
  return lines.join('\n');
}
