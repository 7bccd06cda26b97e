import { causesHeading } from '../diagnostics/knowledge-base.js';
import { wrapLines } from '../output/wrap.js';
import { statusMark, type Style } from '../output/style.js';
import type { CheckOutcome, DoctorReport } from './types.js';

/**
 * One check as plain text: the status line, and for warnings and failures the cause and numbered fix. With
 * `width` (a terminal's columns) each line is wrapped to it at spaces, continuation lines indented.
 */
export function renderOutcome(outcome: CheckOutcome, style: Style, verbose: boolean, width?: number): string {
  const lines = [`${statusMark(style, outcome.status)} ${style.bold(outcome.title)}  ${outcome.status === 'pass' || outcome.status === 'skip' ? style.dim(outcome.detail) : outcome.detail}`];
  if (outcome.status === 'warn' || outcome.status === 'fail') {
    if (outcome.code) lines[0] += ` ${style.dim(`[${outcome.code}]`)}`;
    if (outcome.salesforce?.error || outcome.salesforce?.errorDescription) {
      lines.push(`    Salesforce said: ${[outcome.salesforce.error, outcome.salesforce.errorDescription].filter(Boolean).join(': ')}`);
    }
    for (const line of outcome.evidence ?? []) lines.push(`    ${style.yellow('→')} ${line}`);
    if (outcome.causes?.length && outcome.status === 'fail') {
      lines.push(`    ${causesHeading(outcome.hedged ?? false)}`);
      for (const cause of outcome.causes) lines.push(`      • ${cause}`);
    }
    if (outcome.fix?.length) {
      lines.push('    Fix:');
      outcome.fix.forEach((step, index) => lines.push(`      ${index + 1}. ${step}`));
    }
    if (outcome.repair) lines.push(`    ${style.cyan('--fix')} can do this: ${outcome.repair.description}`);
  }
  if (verbose) for (const [name, value] of outcome.facts ?? []) lines.push(style.dim(`    ${name}: ${value}`));
  return wrapLines(lines, width);
}

/** "2 problems, 1 warning, 8 passed, 1 skipped" */
export function summaryLine(report: DoctorReport, style: Style): string {
  const { pass, warn, fail, skip } = report.summary;
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const parts = [
    fail ? style.red(plural(fail, 'problem', 'problems')) : undefined,
    warn ? style.yellow(plural(warn, 'warning', 'warnings')) : undefined,
    style.green(`${pass} passed`),
    skip ? style.dim(`${skip} skipped`) : undefined,
  ].filter(Boolean);
  return parts.join(', ');
}

/** The JSON shape of `doctor --json` (repairs are functions and are left out). */
export function reportToJson(report: DoctorReport) {
  return {
    ok: report.ok,
    org: report.org,
    checks: report.checks.map((c) => ({
      id: c.id,
      title: c.title,
      status: c.status,
      detail: c.detail,
      ...(c.code ? { code: c.code } : {}),
      ...(c.fix?.length && (c.status === 'fail' || c.status === 'warn') ? { fix: c.fix } : {}),
      ...(c.causes?.length && c.status === 'fail' ? { causes: c.causes } : {}),
      // The causes are a likely reading, not a certain one (the text's "Likely causes" heading).
      ...(c.causes?.length && c.status === 'fail' ? { causesHedged: Boolean(c.hedged) } : {}),
      ...(c.evidence?.length ? { evidence: c.evidence } : {}),
      ...(c.salesforce ? { salesforce: c.salesforce } : {}),
      durationMs: c.durationMs,
    })),
    summary: report.summary,
  };
}
